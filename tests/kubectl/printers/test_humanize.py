"""HumanDuration at every boundary (apimachinery pkg/util/duration, facts section 2)."""

import pytest

from kubenb.kubectl.printers.humanize import human_duration, rfc1123z, short_human_duration, since

M, H, D, Y = 60, 3600, 86400, 365 * 86400


@pytest.mark.parametrize(("seconds", "text"), [
    (-2, "<invalid>"), (-1.9, "0s"), (-1, "0s"), (-0.5, "0s"), (0, "0s"), (0.9, "0s"), (1, "1s"), (59, "59s"),
    (60, "60s"), (70, "70s"), (119, "119s"), (119.99, "119s"), (120, "2m"), (121, "2m1s"), (190, "3m10s"),
    (9 * M + 59, "9m59s"), (10 * M, "10m"), (10 * M + 59, "10m"), (70 * M, "70m"), (179 * M + 59, "179m"),
    (180 * M, "3h"), (3 * H + 60, "3h1m"), (7 * H + 59 * M + 59, "7h59m"), (8 * H, "8h"), (47 * H + 59 * M, "47h"),
    (48 * H, "2d"), (49 * H, "2d1h"), (7 * D + 23 * H, "7d23h"), (8 * D, "8d"), (90 * D, "90d"), (367 * D, "367d"),
    (729 * D + 23 * H, "729d"), (730 * D, "2y"), (731 * D, "2y1d"), (8 * Y - 1, "7y364d"), (8 * Y, "8y"),
    (20 * Y + 100 * D, "20y"),
])
def test_human_duration(seconds, text):
    assert human_duration(seconds) == text


@pytest.mark.parametrize(("seconds", "text"), [
    (-3, "<invalid>"), (-1, "0s"), (59, "59s"), (60, "1m"), (59 * M + 59, "59m"), (H, "1h"), (23 * H, "23h"),
    (D, "1d"), (364 * D, "364d"), (Y, "1y"), (3 * Y, "3y"),
])
def test_short_human_duration(seconds, text):
    assert short_human_duration(seconds) == text


def test_since_and_rfc1123z():
    now = 1735689600.0  # 2025-01-01T00:00:00Z
    assert since(None, now) == "<unknown>"
    assert since("", now) == "<unknown>"
    assert since("2024-12-31T23:58:00Z", now) == "2m"
    assert rfc1123z("2025-01-01T00:00:05Z") == "Wed, 01 Jan 2025 00:00:05 +0000"
