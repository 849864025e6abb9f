"""What makes a read possible: a known, active reader; a time that is neither in the future nor
older than the backlog allows; a place on Earth, inside the service area, near a fixed reader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.core.geo import short_distance_m
from watchfloor.domain.hotlists.matcher import Hit
from watchfloor.domain.lpr.alerts import HitRead
from watchfloor.domain.lpr.images import ImageStore, is_sha256
from watchfloor.domain.lpr.readers import ReaderInfo, ReaderRegistry
from watchfloor.domain.lpr.store import ReadRow
from watchfloor.events.lpr import ImageRef, PlateReadReport, normalize_plate
from watchfloor.settings import LprSettings

DAY_MS = 86_400_000


@dataclass
class ReadFacts:
    """A read that passed the checks, with what the checks worked out (reader, place)."""

    report: PlateReadReport
    reader: ReaderInfo
    plate: str
    captured_ms: int
    lat: float | None
    lon: float | None
    heading: float | None
    plate_image: str | None
    vehicle_image: str | None

    @property
    def has_inline_image(self) -> bool:
        """True when image bytes came with the read (they must be stored first)."""
        return any(
            ref is not None and ref.data is not None
            for ref in (self.report.plate_image, self.report.vehicle_image)
        )

    def store_images(self, images: ImageStore, prefix: str) -> None:
        """Store inline image bytes content-addressed (blocking; run in a thread)."""
        for name in ("plate_image", "vehicle_image"):
            ref: ImageRef | None = getattr(self.report, name)
            if ref is not None and ref.data is not None:
                images.check(ref.data, f"{prefix}/{name}/data")
                setattr(self, name, images.put(ref.data))

    def hit_read(self, hits: list[Hit]) -> HitRead:
        """This read as an alert needs it."""
        return HitRead(
            self.report,
            self.reader,
            self.plate,
            self.lat,
            self.lon,
            self.heading,
            self.plate_image,
            self.vehicle_image,
            hits,
        )

    def row(self, received_ms: int, hit: bool) -> ReadRow:
        """The read in the store's column order."""
        r = self.report
        v = r.vehicle
        return (
            self.reader.id,
            self.captured_ms,
            received_ms,
            self.plate,
            r.plate[:32],
            r.region,
            r.confidence,
            self.lat,
            self.lon,
            self.heading,
            r.direction,
            r.lane,
            r.speed_kmh,
            self.plate_image,
            self.vehicle_image,
            v.make if v else None,
            v.model if v else None,
            v.colour if v else None,
            v.kind if v else None,
            hit,
        )


class ReadChecker:
    """Applies the reader, time and place rules to decoded reads."""

    def __init__(self, readers: ReaderRegistry, images: ImageStore, settings: LprSettings) -> None:
        self._readers = readers
        self._images = images
        self._settings = settings

    async def check_all(
        self,
        reads: list[tuple[int, PlateReadReport]],
        now: datetime,
        batch: bool,
        problems: dict[int, list[FieldProblem]],
    ) -> dict[int, ReadFacts]:
        """Facts of the reads that pass; the others' problems are added to `problems`."""
        now_ms = int(now.timestamp() * 1000)
        passed: dict[int, ReadFacts] = {}
        for index, report in reads:
            reader = await self._readers.find(report.reader)
            prefix = f"/{index}" if batch else ""
            try:
                passed[index] = self.check(report, reader, now_ms, prefix)
            except InvalidInput as error:
                problems.setdefault(index, []).extend(error.problems)
        return passed

    def check(
        self, report: PlateReadReport, reader: ReaderInfo | None, now_ms: int, prefix: str
    ) -> ReadFacts:
        """One read's facts, or InvalidInput naming every field that makes it impossible."""
        found: list[FieldProblem] = []
        plate = normalize_plate(report.plate)
        if not plate:
            found.append(FieldProblem(f"{prefix}/plate", "no plate text"))
        if reader is None:
            found.append(FieldProblem(f"{prefix}/reader", f"unknown reader {report.reader!r}"))
        elif not reader.active:
            found.append(FieldProblem(f"{prefix}/reader", f"reader {reader.code} is not active"))
        captured_ms = int(report.captured_at.timestamp() * 1000)
        found.extend(self._time_problems(captured_ms, now_ms, prefix))
        lat, lon = report.lat, report.lon
        if reader is not None and lat is None and reader.kind == "fixed":
            lat, lon = reader.lat, reader.lon
        found.extend(self._place_problems(report, reader, lat, lon, prefix))
        if report.plate_image is not None or report.vehicle_image is not None:
            found.extend(self._image_problems(report, prefix))
        if found or reader is None:
            raise InvalidInput("impossible read", found)
        heading = report.heading if report.heading is not None else reader.heading
        return ReadFacts(
            report,
            reader,
            plate,
            captured_ms,
            lat,
            lon,
            heading,
            _sha(report.plate_image),
            _sha(report.vehicle_image),
        )

    def _time_problems(self, captured_ms: int, now_ms: int, prefix: str) -> list[FieldProblem]:
        settings = self._settings
        if captured_ms > now_ms + settings.max_future_skew_s * 1000:
            return [FieldProblem(f"{prefix}/captured_at", "in the future")]
        if captured_ms < now_ms - settings.max_backlog_days * DAY_MS:
            reason = f"older than the {settings.max_backlog_days}-day backlog limit"
            return [FieldProblem(f"{prefix}/captured_at", reason)]
        return []

    def _place_problems(
        self,
        report: PlateReadReport,
        reader: ReaderInfo | None,
        lat: float | None,
        lon: float | None,
        prefix: str,
    ) -> list[FieldProblem]:
        pointer = f"{prefix}/lat"
        if lat is None or lon is None:
            if reader is not None and reader.kind == "mobile":
                return [FieldProblem(pointer, "a mobile reader's read needs its location")]
            return []
        if lat == 0 and lon == 0:
            return [FieldProblem(pointer, "impossible location (0, 0)")]
        area = self._settings.service_area
        if area is not None and not (area[0] <= lon <= area[2] and area[1] <= lat <= area[3]):
            return [FieldProblem(pointer, "outside the service area")]
        if (
            reader is not None
            and reader.kind == "fixed"
            and report.lat is not None
            and reader.lat is not None
            and reader.lon is not None
        ):
            distance = short_distance_m(lat, lon, reader.lat, reader.lon)
            if distance > self._settings.fixed_reader_radius_m:
                reason = f"{distance:.0f} m from fixed reader {reader.code}"
                return [FieldProblem(pointer, reason)]
        return []

    def _image_problems(self, report: PlateReadReport, prefix: str) -> list[FieldProblem]:
        found: list[FieldProblem] = []
        for name in ("plate_image", "vehicle_image"):
            ref: ImageRef | None = getattr(report, name)
            if ref is None or ref.sha256 is None:
                continue
            if not is_sha256(ref.sha256) or not self._images.exists(ref.sha256):
                found.append(FieldProblem(f"{prefix}/{name}/sha256", "no such image uploaded"))
        return found


def _sha(ref: ImageRef | None) -> str | None:
    return ref.sha256 if ref is not None else None
