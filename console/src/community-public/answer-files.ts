/** The answer page's files: choose, upload in chunks with a progress bar each, see the SHA-256. */

import { h } from "../ui/dom";
import { formatBytes, fileProblem } from "./answer-logic";
import { uid } from "./forms";
import { messageOf, type PublicApi, UPLOAD_TOKEN_HEADER } from "./http";
import type { AnswerView, UploadOut } from "./types";
import { percentOf, resumable, uploadFile, type UploadTransport } from "./uploader";

/** The upload calls of one link (its token in a header, never in the URL). */
export function transportFor(api: PublicApi, token: string): UploadTransport {
  const headers = { [UPLOAD_TOKEN_HEADER]: token };
  return {
    create: (filename, size) => api.call<UploadOut>("POST", "/answer/files", { json: { filename, size }, headers }),
    put: (id, offset, chunk) => api.call<UploadOut>("PUT", `/answer/files/${encodeURIComponent(id)}`, { query: { offset }, bytes: chunk, headers }),
    status: (id) => api.call<UploadOut>("GET", `/answer/files/${encodeURIComponent(id)}`, { headers }),
  };
}

class FileRow {
  readonly element: HTMLElement;
  private readonly bar = h("progress", { max: 100, value: 0 });
  private readonly state = h("span", { class: "file-state" });
  private readonly hash = h("code", { class: "sha256", "data-testid": "sha256" });

  constructor(name: string, size: number) {
    const barId = uid("bar");
    this.bar.id = barId;
    this.bar.setAttribute("aria-label", `Upload of ${name}`);
    this.element = h("li", { class: "file-row", "data-testid": "file-row", "data-filename": name },
      h("span", { class: "file-name" }, name), h("span", { class: "file-size" }, ` (${formatBytes(size)})`),
      this.bar, h("p", { class: "file-line" }, this.state), h("p", { class: "file-line", hidden: true }, "SHA-256 fingerprint: ", this.hash));
  }

  show(upload: UploadOut): void {
    const percent = percentOf(upload);
    this.bar.value = upload.status === "stored" ? 100 : percent;
    this.element.dataset["status"] = upload.status;
    if (upload.status === "stored") {
      this.state.textContent = "Received and stored safely.";
      this.hash.textContent = upload.sha256 ?? "";
      (this.hash.parentElement as HTMLElement).hidden = upload.sha256 === null;
    } else if (upload.status === "rejected") {
      this.state.textContent = `Not accepted: ${upload.problem ?? "this is not a video or image file."}`;
    } else {
      this.state.textContent = `Sending… ${percent}% (${formatBytes(upload.received)} of ${formatBytes(upload.size)})`;
    }
  }

  fail(message: string): void {
    this.element.dataset["status"] = "failed";
    this.state.textContent = message;
  }
}

export class FileUploads {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly send = h("button", { type: "button", class: "primary", "data-testid": "upload-start" }, "Send the chosen files");
  private readonly list = h("ul", { class: "files", "data-testid": "files" });
  private busy = false;

  constructor(private readonly view: AnswerView, private readonly transport: UploadTransport, private readonly onChange: (stored: number) => void) {
    this.input = h("input", { type: "file", multiple: true, id: uid("f-files"), "data-testid": "file-input",
      accept: view.accepted.map((e) => (e.startsWith(".") ? e : `.${e}`)).join(",") || "video/*,image/*" });
    const hint = h("p", { class: "hint", id: uid("hint") },
      `Video or image files, up to ${formatBytes(view.max_file_bytes)} each. Large files go up piece by piece; if the connection drops, choose the same file again to continue where it stopped.`);
    this.input.setAttribute("aria-describedby", hint.id);
    this.send.addEventListener("click", () => void this.upload());
    for (const known of view.files) this.row(known.filename, known.size).show(known);
    this.element = h("section", { class: "section", "aria-labelledby": "files-h" },
      h("h2", { id: "files-h" }, "Share footage"),
      h("div", { class: "field" }, h("label", { for: this.input.id }, "Choose the files to share"), hint, this.input),
      this.send, this.list);
  }

  stored(): number {
    return this.list.querySelectorAll('[data-status="stored"]').length;
  }

  private row(name: string, size: number): FileRow {
    const row = new FileRow(name, size);
    this.list.append(row.element);
    return row;
  }

  private async upload(): Promise<void> {
    if (this.busy) return;
    const files = [...(this.input.files ?? [])];
    if (files.length === 0) {
      this.input.focus();
      return;
    }
    this.busy = true;
    this.send.disabled = true;
    try {
      for (const file of files) await this.uploadOne(file);
    } finally {
      this.busy = false;
      this.send.disabled = false;
      this.input.value = "";
      this.onChange(this.stored());
    }
  }

  private async uploadOne(file: File): Promise<void> {
    const row = this.row(file.name, file.size);
    const problem = fileProblem(file, this.view);
    if (problem) {
      row.fail(problem);
      return;
    }
    const existing = resumable(this.view.files, file);
    try {
      const done = await uploadFile(file, this.transport, {
        chunkBytes: this.view.chunk_bytes, existing, onProgress: (state) => row.show(state),
      });
      row.show(done);
      this.view.files = this.view.files.filter((f) => f.id !== done.id).concat(done);
    } catch (error) {
      row.fail(error instanceof Error && error.name === "UploadFailed" ? error.message : messageOf(error));
    }
  }
}
