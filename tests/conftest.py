pytest_plugins = [
    "tests.fixtures.infra",
    "tests.fixtures.app",
    "tests.fixtures.factories",
    "tests.fixtures.tenancy",
    "tests.fixtures.sessions",
    "tests.fixtures.browser",
]
