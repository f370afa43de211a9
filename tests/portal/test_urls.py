"""One URL namespace per area: each name means one page."""

from collections import Counter

from config.urls import AREAS


def test_no_two_routes_of_an_area_share_a_name():
    for area, patterns in AREAS.items():
        names = Counter(pattern.name for pattern in patterns)
        assert [name for name, count in names.items() if count > 1] == [], area


def test_no_two_routes_of_an_area_share_a_path():
    for area, patterns in AREAS.items():
        paths = Counter(str(pattern.pattern) for pattern in patterns)
        assert [path for path, count in paths.items() if count > 1] == [], area
