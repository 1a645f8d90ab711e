"""Imports every model module so that ``db.metadata`` is complete.

Alembic, the isolation tests and the catalog test read the metadata; a new
models module is added here once and is covered everywhere.
"""

from app.audit import models as audit_models
from app.auth import models as auth_models
from app.billing import models as billing_models
from app.care import models as care_models
from app.governance import models as governance_models
from app.governance.elections import models as election_models
from app.governance.meetings import models as meeting_models
from app.housing import models as housing_models
from app.letters import models as letter_models
from app.modules.benchmarking import models as benchmarking_models
from app.priorities import models as priorities_models
from app.privacy import models as privacy_models
from app.residents import models as resident_models
from app.schools import models as schools_models
from app.voting import models as voting_models
from app.youth import models as youth_models
from tenants import models as tenant_models
from workers import models as worker_models

__all__ = [
    "audit_models",
    "auth_models",
    "benchmarking_models",
    "billing_models",
    "care_models",
    "election_models",
    "governance_models",
    "housing_models",
    "letter_models",
    "meeting_models",
    "priorities_models",
    "privacy_models",
    "resident_models",
    "schools_models",
    "tenant_models",
    "voting_models",
    "worker_models",
    "youth_models",
]
