"""The shared table: on a phone every cell carries its column's name, one cell is the row's
title and one its key figure (static/css/site.css turns rows into cards with them)."""

import re

import django_tables2 as tables
from django.test import RequestFactory

from common.tables import BaseTable


class _Table(BaseTable):
    select = tables.CheckBoxColumn(accessor="pk")
    name = tables.Column(verbose_name="Product")
    units = tables.Column(verbose_name="Units sold", attrs={"td": {"class": "text-end"}})
    gmv = tables.Column(verbose_name="GMV")

    phone_key = "gmv"


ROWS = [{"pk": 1, "name": "Lamp", "units": 3, "gmv": "120.00"}, {"pk": 2, "name": "Mug", "units": 9, "gmv": "71.91"}]


def _cells(table) -> list[str]:
    return re.findall(r"<td [^>]*>", table.as_html(RequestFactory().get("/")))


def test_every_cell_is_labelled_and_the_row_has_a_title_and_a_key_figure():
    cells = _cells(_Table(ROWS))
    assert cells[:4] == ['<td data-label="Select">', '<td data-label="Product" class="cell-title">',
                         '<td class="text-end" data-label="Units sold">', '<td data-label="GMV" class="cell-key">']
    assert cells[4:] == cells[:4]  # the same for every row
    assert len(_cells(_Table(ROWS))) == 8  # rendering again adds nothing twice


def test_the_title_is_the_first_visible_column_once_the_view_hides_one():
    table = _Table(ROWS)
    table.columns.hide("name")
    assert '<td class="cell-title text-end" data-label="Units sold">' in _cells(table)


def test_cells_render_as_django_tables2_renders_them():
    """The project's template works out each column's cell attributes once; the cells and
    their attributes are what tables2's own template gives."""

    class Stock(_Table):
        def render_units(self, value, record):  # a render method that reads the row
            return f"{value} of {record['name']}"

    ours = Stock(ROWS).as_html(RequestFactory().get("/"))
    theirs = Stock(ROWS, template_name="django_tables2/bootstrap5-responsive.html").as_html(RequestFactory().get("/"))
    def cells(html):
        return re.findall(r"<td[^>]*>.*?</td>", re.sub(r"\s+", " ", html))
    assert cells(ours) == cells(theirs)
    assert "3 of Lamp" in ours and "9 of Mug" in ours


def test_render_methods_get_the_arguments_they_name():
    from django_tables2 import utils

    class Sales(_Table):
        def render_gmv(self, value):
            return f"${value}"

        def render_units(self, record, **kwargs):
            return f"{record['units']} ({kwargs['value']})"

    table = Sales(ROWS)
    assert utils.signature(table.render_gmv) == (("value",), None)
    assert utils.signature(table.render_units) == (("record",), "kwargs")
    assert utils.signature(Sales(ROWS).render_gmv) == (("value",), None)  # another table, the same answer
    html = table.as_html(RequestFactory().get("/"))
    assert "$120.00" in html and "3 (3)" in html


def test_list_rows_are_ordered_as_django_tables2_orders_them():
    """BaseTable orders rows given as a list with plain sort keys; the order is tables2's own,
    with ties kept in the given order, and values that do not compare (None beside numbers)."""
    import random

    class Plain(tables.Table):
        name = tables.Column()
        units = tables.Column()
        gmv = tables.Column(order_by=("gmv", "name"))

    class Ours(BaseTable):
        name = tables.Column()
        units = tables.Column()
        gmv = tables.Column(order_by=("gmv", "name"))

    chance = random.Random(3)  # noqa: S311 - test data
    rows = [{"name": chance.choice("abcde"), "units": chance.randint(0, 4), "gmv": chance.randint(0, 3)}
            for _ in range(60)]
    mixed = [*rows[:10], {"name": "f", "units": None, "gmv": 1}]
    for data in (rows, mixed):
        for order in ("units", "-units", "gmv", "-gmv", "name,-units", "-name,gmv", ""):
            ours, theirs = Ours(data, order_by=order), Plain(data, order_by=order)
            assert [row.record for row in ours.rows] == [row.record for row in theirs.rows], order
