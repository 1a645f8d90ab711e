"""The Stripe webhook: a global route (Stripe knows no council), exempt from CSRF because Stripe signs it.

Verify the signature over the raw body, store the event by its id, queue its
processing after commit, answer 2xx at once. A bad signature or a stale
timestamp is a 400 with nothing written; a duplicate is a 200 that does nothing.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from app.billing import gateway, operations
from app.extensions import csrf, db

bp = Blueprint("billing", __name__, url_prefix="/billing")


@bp.post("/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    if not gateway.is_configured():
        abort(404)
    try:
        event = gateway.verify_webhook(request.get_data(cache=False), request.headers.get("Stripe-Signature"))
    except gateway.SignatureError:
        return jsonify({"error": "invalid signature"}), 400
    stored = operations.record_webhook_event(event)
    db.session.commit()
    return jsonify({"received": True, "duplicate": not stored}), 200
