"""Authentication backends for the test settings only."""

from axes.backends import AxesStandaloneBackend


class AxesBackendAllowingTestClientLogin(AxesStandaloneBackend):
    """django-axes, except that `authenticate()` without a request (what the test client's login() does) is let
    through instead of raising; every login form passes its request, so the throttle still applies to them."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
