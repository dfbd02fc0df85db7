"""Which cloud-given URLs may be fetched (issue 14, point 11)."""

from __future__ import annotations

import pytest

from custom_components.bambu_cloud.aiobambulab.hosts import is_bambu_url

SIMULATOR = "http://127.0.0.1:8123"


@pytest.mark.parametrize(
    "url",
    [
        "https://public-cdn.bblmw.com/cover.png",
        "https://public-cdn.bblmw.cn/a/b.png?x=1",
        "https://bambulab.com/x.png",
        "https://api.bambulab.com:443/x.png",
        "https://or-cloud-model-prod.s3.dualstack.us-west-2.amazonaws.com/c.png",
        "https://or-cloud-model-prod.s3.us-west-2.amazonaws.com/c.png",
        "HTTPS://PUBLIC-CDN.BBLMW.COM/cover.png",
        "http://127.0.0.1:8123/covers/task-1.png",  # the configured API host
    ],
)
def test_allowed(url: str) -> None:
    assert is_bambu_url(url, SIMULATOR)


@pytest.mark.parametrize(
    "url",
    [
        "http://public-cdn.bblmw.com/cover.png",  # not https
        "https://public-cdn.bblmw.com:8443/cover.png",
        "https://bblmw.com.evil.example/x.png",
        "https://evilbambulab.com/x.png",
        "https://user:pw@bambulab.com/x.png",
        "https://127.0.0.1/x.png",
        "https://169.254.169.254/latest/meta-data",
        "https://my-bucket.s3.amazonaws.com/x.png",  # not Bambu's bucket
        "https://s3.us-west-2.amazonaws.com/or-cloud-model-prod/x.png",
        "http://127.0.0.1:8124/x.png",  # the API host, another port
        "https://127.0.0.1:8123/x.png",  # the API host, another scheme
        "file:///etc/passwd",
        "https://[::1/x.png",
        "https://bambulab.com:99999/x.png",
        "",
        "//bambulab.com/x.png",
    ],
)
def test_refused(url: str) -> None:
    assert not is_bambu_url(url, SIMULATOR)


def test_no_api_host() -> None:
    assert not is_bambu_url("http://127.0.0.1:8123/x.png")
    assert is_bambu_url("https://public-cdn.bblmw.com/x.png")
