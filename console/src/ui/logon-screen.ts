/**
 * Logon: the use-and-consent banner (AC-8) must be acknowledged first, then username, password
 * and the TOTP code. Resolves with the user once the session cookies are set.
 */

import { api, setCsrfToken, unwrap } from "../api/client";
import { asApiError } from "../api/errors";
import type { UserOut } from "../api/types";
import { credentialErrorText, field, totpField } from "./credentials";
import { h, setText } from "./dom";

async function loadBanner(): Promise<string> {
  try {
    const banner = await unwrap(api.GET("/api/auth/banner"));
    return banner.text;
  } catch {
    return "This is a restricted government information system. Use may be monitored, recorded and audited.";
  }
}

export function showLogon(root: HTMLElement, notice: string | null = null): Promise<UserOut> {
  return new Promise((resolve) => {
    const banner = h("div", { class: "banner-text", "data-testid": "banner" }, "Loading…");
    const accept = h("button", { type: "button", class: "primary", "data-testid": "banner-accept" }, "I understand and consent");
    const username = field("username", "Username", { type: "text", autocomplete: "username", autocapitalize: "none", spellcheck: false });
    const password = field("password", "Password", { type: "password", autocomplete: "current-password" });
    const totp = totpField("totp");
    const error = h("p", { class: "form-error", "data-testid": "logon-error", role: "alert" });
    const submit = h("button", { type: "submit", class: "primary", "data-testid": "logon-submit" }, "Log on");
    const form = h("form", { class: "logon-form", hidden: true, novalidate: true }, username.row, password.row, totp.row, error, submit);
    const bannerBox = h("section", { class: "banner-box", "aria-label": "System use notification" },
      h("h2", {}, "System use notification"), banner, accept);
    const card = h("main", { class: "logon-card" }, h("h1", { class: "brand" }, "Watchfloor"),
      notice ? h("p", { class: "logon-notice", role: "status" }, notice) : null, bannerBox, form);
    root.replaceChildren(h("div", { class: "logon-screen" }, card));
    void loadBanner().then((text) => setText(banner, text));

    accept.addEventListener("click", () => {
      bannerBox.classList.add("is-accepted");
      accept.disabled = true;
      setText(accept, "Acknowledged");
      form.hidden = false;
      username.input.focus();
    });

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      setText(error, "");
      const missing = [username.input, password.input, totp.input].find((input) => input.value.trim() === "");
      if (missing) {
        setText(error, "Enter your username, password and authenticator code.");
        missing.focus();
        return;
      }
      submit.disabled = true;
      const body = {
        username: username.input.value.trim(),
        password: password.input.value,
        totp: totp.input.value.replace(/\s+/g, ""),
        banner_acknowledged: true,
      };
      unwrap(api.POST("/api/auth/logon", { body }))
        .then((session) => {
          setCsrfToken(session.csrf_token);
          resolve(session.user);
        })
        .catch((failure: unknown) => {
          setText(error, credentialErrorText(asApiError(failure)));
          password.input.value = "";
          totp.input.value = "";
          password.input.focus();
        })
        .finally(() => (submit.disabled = false));
    });
  });
}
