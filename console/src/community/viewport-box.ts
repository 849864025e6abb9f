/** The box the community layer reads: what the map shows plus a margin, so small pans need no new (audited) read. */

export interface Box {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Margin on every side, as a share of the view's width and height. */
export const BOX_MARGIN = 0.5;

const round = (value: number): number => Math.round(value * 1e5) / 1e5;

/** The view grown by `margin` of its size on each side (clamped to the world), to 5 decimals. */
export function boxAround(view: Box, margin: number = BOX_MARGIN): Box {
  const dx = (view.east - view.west) * margin;
  const dy = (view.north - view.south) * margin;
  return { west: round(Math.max(-180, view.west - dx)), south: round(Math.max(-90, view.south - dy)),
    east: round(Math.min(180, view.east + dx)), north: round(Math.min(90, view.north + dy)) };
}

/** Does `box` hold the whole `view`? */
export function contains(box: Box, view: Box): boolean {
  return view.west >= box.west && view.east <= box.east && view.south >= box.south && view.north <= box.north;
}
