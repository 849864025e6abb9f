"""The registry's public routes (/community/api): registration and the owner's private page.
No accounts: state-changing calls carry the page's CSRF token, the owner page a short session
cookie, and every route is rate-limited per client."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Query, Request, Response

from watchfloor.auth.tokens import digest
from watchfloor.core.context import Actor, RequestContext
from watchfloor.domain.community.guard import (
    OWNER_COOKIE,
    CsrfChecked,
    RateLimiter,
    client_key,
    start_csrf,
)
from watchfloor.domain.community.registry import CommunityRegistry
from watchfloor.domain.community.schemas import (
    COVERS_LABELS,
    REQUEST_KIND_LABELS,
    Accepted,
    AddressMatch,
    Choice,
    DeletionReceipt,
    LinkRequestIn,
    OwnerSessionIn,
    OwnerView,
    Point,
    PublicStart,
    RegistrationIn,
    RegistrationUpdate,
)
from watchfloor.web.policy import origin_of, public

router = APIRouter(prefix="/community/api", tags=["community public"])
COOKIE_PATH = "/community/api"
REGISTERED = (
    "Thank you. We have sent an e-mail to the address you gave: open the link in it to confirm "
    "your registration. Nothing is listed until you do."
)
LINK_SENT = (
    "If this e-mail address has a registration, a new private link is on its way. "
    "Links sent before no longer work."
)


def _registry(request: Request) -> CommunityRegistry:
    return cast(CommunityRegistry, request.app.state.watchfloor.community.registry)


def _limiter(request: Request) -> RateLimiter:
    return cast(RateLimiter, request.app.state.watchfloor.community.limiter)


def _secure(request: Request) -> bool:
    return bool(request.app.state.watchfloor.settings.security.cookie_secure)


def _context(request: Request, who: str) -> RequestContext:
    return RequestContext(
        actor=Actor.system(who),
        origin=origin_of(request),
        request_id=getattr(request.state, "request_id", None),
    )


def _look_up(request: Request) -> None:
    """Count one look-up or owner-page call of this client."""
    s = _registry(request).settings
    key = f"community:lookup:{client_key(request)}"
    _limiter(request).check(key, s.lookup_limit_per_client, s.lookup_window_s)


@router.get("/start", dependencies=[public()])
async def start(request: Request, response: Response) -> PublicStart:
    """What the public page needs first; sets its CSRF cookie."""
    registry = _registry(request)
    lat, lon = registry.addresses.center()
    return PublicStart(
        csrf_token=start_csrf(request, response, _secure(request)),
        request_kinds=[Choice(value=k.value, label=t) for k, t in REQUEST_KIND_LABELS.items()],
        covers=[Choice(value=k.value, label=t) for k, t in COVERS_LABELS.items()],
        max_cameras=registry.settings.max_cameras,
        max_retention_days=registry.settings.max_retention_days,
        center=Point(lat=lat, lon=lon),
    )


@router.get("/addresses", dependencies=[public()])
async def addresses(
    request: Request, q: Annotated[str, Query(max_length=200)] = ""
) -> list[AddressMatch]:
    """Known addresses like what was typed (at most 8)."""
    _look_up(request)
    return _registry(request).suggest(q)


@router.post("/registrations", status_code=202, dependencies=[public()])
async def register(request: Request, body: RegistrationIn, _: CsrfChecked) -> Accepted:
    """Register a home or business and its cameras; the same answer for everyone."""
    registry, limiter = _registry(request), _limiter(request)
    s = registry.settings
    client = client_key(request)
    limiter.check(f"community:register:{client}", s.register_limit_per_client, s.register_window_s)
    email_key = f"community:register-mail:{digest(body.email)}"
    limiter.check(email_key, s.register_limit_per_email, s.register_window_s)
    await registry.register(body, _context(request, "community-public"))
    return Accepted(message=REGISTERED)


@router.post("/owner/session", dependencies=[public()])
async def open_session(
    request: Request, response: Response, body: OwnerSessionIn, _: CsrfChecked
) -> OwnerView:
    """Open the owner page from the e-mailed link (confirms a pending registration)."""
    _look_up(request)
    registry = _registry(request)
    view, token = await registry.owners.open_session(
        body.token, _context(request, "community-owner")
    )
    response.set_cookie(
        OWNER_COOKIE,
        token,
        max_age=registry.settings.owner_session_minutes * 60,
        path=COOKIE_PATH,
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    return view


@router.get("/owner", dependencies=[public()])
async def owner_view(request: Request) -> OwnerView:
    """The owner's registration, its state and every request made of it."""
    _look_up(request)
    return await _registry(request).owners.view(request.cookies.get(OWNER_COOKIE))


@router.put("/owner", dependencies=[public()])
async def update(request: Request, body: RegistrationUpdate, _: CsrfChecked) -> OwnerView:
    """Change the registration."""
    _look_up(request)
    owners = _registry(request).owners
    token = request.cookies.get(OWNER_COOKIE)
    return await owners.update(token, body, _context(request, "community-owner"))


@router.post("/owner/pause", dependencies=[public()])
async def pause(request: Request, _: CsrfChecked) -> OwnerView:
    """Unlist every camera of the registration at once."""
    return await _set_listed(request, False)


@router.post("/owner/resume", dependencies=[public()])
async def resume(request: Request, _: CsrfChecked) -> OwnerView:
    """List the registration's cameras again."""
    return await _set_listed(request, True)


async def _set_listed(request: Request, listed: bool) -> OwnerView:
    _look_up(request)
    owners = _registry(request).owners
    token = request.cookies.get(OWNER_COOKIE)
    return await owners.set_listed(token, listed, _context(request, "community-owner"))


@router.delete("/owner", dependencies=[public()])
async def delete(request: Request, response: Response, _: CsrfChecked) -> DeletionReceipt:
    """Delete the registration for good; the answer is the audit receipt."""
    _look_up(request)
    owners = _registry(request).owners
    token = request.cookies.get(OWNER_COOKIE)
    receipt = await owners.delete(token, _context(request, "community-owner"))
    _clear_owner_cookie(request, response)
    return receipt


@router.post("/owner/logout", status_code=204, dependencies=[public()])
async def logout(request: Request, _: CsrfChecked) -> Response:
    """End the owner page's session."""
    await _registry(request).owners.end_session(request.cookies.get(OWNER_COOKIE))
    response = Response(status_code=204)
    _clear_owner_cookie(request, response)
    return response


@router.post("/owner/link", status_code=202, dependencies=[public()])
async def request_link(request: Request, body: LinkRequestIn, _: CsrfChecked) -> Accepted:
    """E-mail a fresh private link to the registrations of an address; the same answer always."""
    registry, limiter = _registry(request), _limiter(request)
    s = registry.settings
    limiter.check(f"community:link:{client_key(request)}", s.link_limit_per_client, s.link_window_s)
    limiter.check(
        f"community:link-mail:{digest(body.email)}", s.link_limit_per_email, s.link_window_s
    )
    registry.owners.send_links(body.email)
    return Accepted(message=LINK_SENT)


def _clear_owner_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        OWNER_COOKIE, path=COOKIE_PATH, secure=_secure(request), httponly=True, samesite="strict"
    )
