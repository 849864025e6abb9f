"""The unit form, in a real browser: a supervisor creates a unit (the browser's own check first),
sees it in the Units tab, is told beside the code that it exists, edits its crew and capabilities,
and sees the server's refusal beside the field; an operator gets no form at all."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import Floor, log_on, new_page, snap
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.units.schemas import UnitIn

pytestmark = pytest.mark.browser

SETUP = RequestContext(actor=Actor(username="test-setup"))


async def _fill(page: Page, **fields: str) -> None:
    form = page.get_by_test_id("unit-form")
    for name, value in fields.items():
        control = form.get_by_test_id(f"unit-field-{name}")
        if name == "kind":
            await control.select_option(value)
        else:
            await control.fill(value)


async def _units_tab(page: Page, floor: Floor, role: Role) -> None:
    designator = "RT700" if role is Role.SUPERVISOR else "RT3"
    await log_on(page, floor, await floor.person(role, designator=designator))
    await page.keyboard.press("u")
    await expect(page.get_by_test_id("units")).to_be_visible()


async def test_a_supervisor_creates_and_edits_a_unit_with_the_form(
    floor: Floor, browser: Browser
) -> None:
    page = await new_page(browser)
    await _units_tab(page, floor, Role.SUPERVISOR)
    await page.get_by_test_id("unit-new").click()
    form = page.get_by_test_id("unit-form")
    await _fill(page, code="2A 14", name="Adam 14", kind="patrol", agency="Helsinki PD")
    await _fill(page, crew="Ofc. Virtanen", capabilities="K9")
    await form.get_by_test_id("unit-save").click()
    await expect(form.get_by_test_id("unit-error-code")).to_contain_text("Letters, digits")
    assert await floor.wf.units.list() == []  # the browser's own check sent nothing

    await _fill(page, code="2A14")
    await form.get_by_test_id("unit-save").click()
    await expect(form).to_have_count(0)
    row = page.locator('[data-testid=unit-row][data-code="2A14"]')
    await expect(row).to_contain_text("Adam 14")
    await expect(row).to_contain_text("patrol · Helsinki PD")
    await expect(row.get_by_test_id("unit-crew")).to_have_text("Crew: Ofc. Virtanen · K9")
    [stored] = await floor.wf.units.list()
    assert (stored.code, stored.name, stored.kind, stored.agency) == (
        "2A14",
        "Adam 14",
        "patrol",
        "Helsinki PD",
    )

    await page.get_by_test_id("unit-new").click()
    await _fill(page, code="2A14", name="Someone else")
    await form.get_by_test_id("unit-save").click()
    code_error = form.get_by_test_id("unit-error-code")
    await expect(code_error).to_have_text("a unit with this code exists")
    await form.get_by_test_id("unit-cancel").click()

    await row.get_by_test_id("unit-edit").click()
    await expect(form.get_by_test_id("unit-field-code")).to_be_disabled()
    await expect(form.get_by_test_id("unit-field-crew")).to_have_value("Ofc. Virtanen")
    await _fill(page, crew="Ofc. Virtanen, Ofc. Laine", capabilities="K9, EMT")
    await form.get_by_test_id("unit-save").click()
    await expect(form).to_have_count(0)
    await expect(row.get_by_test_id("unit-crew")).to_have_text(
        "Crew: Ofc. Virtanen, Ofc. Laine · K9, EMT"
    )
    [edited] = await floor.wf.units.list()
    assert (edited.crew, edited.capabilities) == (["Ofc. Virtanen", "Ofc. Laine"], ["K9", "EMT"])
    audited = await floor.wf.audit.query(AuditFilter(action="unit.edited"))
    assert [r.object_id for r in audited] == ["2A14"]

    # A kind this console does not offer (as from an older or newer server): only the server
    # can judge it, and its message appears beside the kind.
    await row.get_by_test_id("unit-edit").click()
    await form.get_by_test_id("unit-field-kind").evaluate(
        "(select) => { select.append(new Option('Hovercraft', 'hovercraft')); "
        "select.value = 'hovercraft'; }"
    )
    await form.get_by_test_id("unit-save").click()
    kind_error = form.get_by_test_id("unit-error-kind")
    await expect(kind_error).to_contain_text("Input should be 'patrol'")
    await expect(form.get_by_test_id("unit-field-kind")).to_have_attribute("aria-invalid", "true")
    await expect(form.get_by_test_id("unit-error-crew")).to_have_text("")
    assert (await floor.wf.units.list())[0].kind == "patrol"
    await snap(page, "71-unit-form")


async def test_an_operator_sees_no_unit_form(floor: Floor, browser: Browser) -> None:
    page = await new_page(browser)
    await _units_tab(page, floor, Role.OPERATOR)
    row = page.get_by_test_id("unit-row")
    await floor.wf.units.create(UnitIn(code="2A15"), SETUP)
    await expect(row).to_have_count(1)
    await expect(page.get_by_test_id("unit-new")).to_be_hidden()
    await expect(row.get_by_test_id("unit-edit")).to_have_count(0)
