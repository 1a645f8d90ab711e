"""Platform administration: creating and listing councils (tenants).
Used by the platform operator."""
