// Server-checked forms (cameras, units): problems shown beside their fields, one submit at a time.
import { setText } from "./dom";

/** Field name → the reason it was refused ("form" for the whole form). */
export type FormProblems = Record<string, string>;

/** Show each field's problem (or clear it) and mark its control invalid for assistive technology. */
export function showProblems(errors: Map<string, HTMLElement>, controls: Map<string, Element>, problems: FormProblems): void {
  for (const [name, element] of errors) setText(element, problems[name] ?? "");
  for (const [name, control] of controls) control.setAttribute("aria-invalid", String(Boolean(problems[name])));
}

/** Submit a checked body with the button disabled meanwhile; the server's problems are shown. */
export async function submitChecked<B>(
  built: { body: B } | { problems: FormProblems },
  button: HTMLButtonElement,
  submit: (body: B) => Promise<FormProblems | null>,
  show: (problems: FormProblems) => void,
): Promise<void> {
  if ("problems" in built) return show(built.problems);
  show({});
  button.disabled = true;
  try {
    const problems = await submit(built.body);
    if (problems) show(problems);
  } finally {
    button.disabled = false;
  }
}
