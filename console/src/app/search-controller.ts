/**
 * Running investigative searches: the purposes from the server, the form checked before it is
 * sent, results to the table, the timeline and the map, a refused purpose (403) shown as such,
 * and the CSV export downloaded from a blob.
 */

import { api, unwrap } from "../api/client";
import { asApiError, describeError, toApiError } from "../api/errors";
import type { ReadHit, SearchIn } from "../api/types";
import { attachmentName, searchRequest, type AreaChoice, type SearchForm } from "../core/search-form";
import { searchFeatures } from "../map/lpr-features";
import type { MapView } from "../map/map-view";
import { SearchView, type SearchActions } from "../ui/search-view";
import { searchProblem } from "./lpr-problems";

export class SearchController implements SearchActions {
  readonly view: SearchView;
  private purposesLoaded = false;
  private area: AreaChoice | null = null;
  private reads: ReadHit[] = [];
  private busy = false;

  constructor(private readonly map: MapView, clockOffset: () => number) {
    this.view = new SearchView(this, clockOffset);
  }

  /** The search tab was opened: fetch the purposes once, freshen the default time window. */
  async shown(): Promise<void> {
    this.view.resetWindow();
    if (this.purposesLoaded) return;
    try {
      this.view.setPurposes(await unwrap(api.GET("/api/lpr/search/purposes")));
      this.purposesLoaded = true;
    } catch (error) {
      this.view.showProblems([], `Search purposes cannot be loaded: ${describeError(asApiError(error))}`);
    }
  }

  areaChanged(area: AreaChoice | null): void {
    this.area = area;
    this.drawMap();
  }

  pickArea(): Promise<{ lat: number; lon: number } | null> {
    return this.map.pickPoint();
  }

  focus(read: ReadHit): void {
    this.map.focusOn(read.lat, read.lon);
  }

  search(form: SearchForm): void {
    const body = this.checked(form);
    if (body) void this.run(body);
  }

  exportCsv(form: SearchForm): void {
    const body = this.checked(form);
    if (body) void this.download(body);
  }

  private checked(form: SearchForm): SearchIn | null {
    if (this.busy) return null;
    const { body, problems } = searchRequest(form);
    this.view.showProblems(problems);
    return body;
  }

  private async run(body: SearchIn): Promise<void> {
    this.busy = true;
    this.view.showStatus("Searching…");
    try {
      const out = await unwrap(api.POST("/api/lpr/search", { body }));
      this.reads = out.reads;
      this.view.showResults(out);
      this.view.showStatus(`${out.reads.length} read${out.reads.length === 1 ? "" : "s"} found.`);
      this.drawMap();
      this.map.fitPoints(out.reads.flatMap((r) => (r.lat !== null && r.lon !== null ? [[r.lon, r.lat] as [number, number]] : [])));
    } catch (error) {
      this.reads = [];
      this.view.clearResults();
      this.drawMap();
      this.view.showStatus("");
      this.view.showProblems([], searchProblem(asApiError(error)));
    } finally {
      this.busy = false;
    }
  }

  private async download(body: SearchIn): Promise<void> {
    this.busy = true;
    this.view.showStatus("Exporting…");
    try {
      const outcome = await api.POST("/api/lpr/search/export", { body, parseAs: "blob" }).catch(() => null);
      if (outcome === null) throw asApiError(null);
      if (!outcome.response.ok || !outcome.data) throw toApiError(outcome.response.status, outcome.error);
      const name = attachmentName(outcome.response.headers.get("Content-Disposition"), "lpr-search.csv");
      const url = URL.createObjectURL(outcome.data);
      const link = Object.assign(document.createElement("a"), { href: url, download: name });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.view.showStatus(`Exported ${name}.`);
    } catch (error) {
      this.view.showStatus("");
      this.view.showProblems([], searchProblem(asApiError(error)));
    } finally {
      this.busy = false;
    }
  }

  private drawMap(): void {
    this.map.setOverlay("plate-search", searchFeatures(this.reads, this.area));
  }
}
