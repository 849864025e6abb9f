/** Entry point: the watch floor at /, the video wall at /wall (or #/wall). */

import "./styles/base.css";
import "./styles/floor.css";
import "./styles/detail.css";
import "./styles/screens.css";
import "./styles/plates.css";
import "./styles/video.css";
import "./styles/alerts.css";
import "./styles/units.css";
import { ConsoleSession } from "./app/session";
import { isWallLocation } from "./app/view-support";

function start(): void {
  const root = document.getElementById("root");
  if (!root) throw new Error("index.html has no #root");
  const wall = isWallLocation(location.pathname, location.hash);
  document.documentElement.classList.toggle("is-wall", wall);
  void new ConsoleSession(root, wall).boot();
}

start();
