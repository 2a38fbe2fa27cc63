"""Settings for the test suite: the production settings, in a throwaway data folder, with fast hashing.

Each test that searches gets its own Whoosh index in a temporary folder (see tests/conftest.py); this folder
only catches anything that would otherwise land in the developer's ./data.
"""

import os
import tempfile

# Never the developer's own data: the folder is chosen before the main settings read it.
os.environ["ARCHIVE_DATA_DIR"] = os.environ.get("ARCHIVE_TEST_DATA_DIR") or tempfile.mkdtemp(prefix="archive-test-")

from archive.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client speaks plain HTTP, whatever the developer's environment says about deployment.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# django-axes refuses authenticate() calls without a request, which is how the test client's login() calls it;
# this variant lets those through, while the admin's login form is throttled exactly as in production.
AUTHENTICATION_BACKENDS = ["tests.auth_backends.AxesBackendAllowingTestClientLogin", *AUTHENTICATION_BACKENDS[1:]]  # noqa: F405
