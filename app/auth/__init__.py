"""Sign-in identities, council roles and permissions, and the pages for
signing in, resetting a password and accepting an invitation."""
