// The charts' tooltip: under the cursor, the line nearest to it (a run, or a group's mean),
// with its x (the caller writes it: "step 12", a date and time, ...), its value and, for a
// bucket of several points, their min-max and count.
import uPlot from "uplot";
import { formatNumber, h } from "./dom";

export interface TipSeries {
  index: number; // the uPlot series
  label: string; // run or group name
  extra?: (idx: number) => string; // e.g. "min 1 / max 3 (40 points)"
}

export function tooltipPlugin(lines: TipSeries[], xText: (x: number) => string): uPlot.Plugin {
  const tip = h("div", { class: "tooltip", role: "tooltip" });
  tip.hidden = true;
  return {
    hooks: {
      init: (u) => void u.over.appendChild(tip),
      setCursor: (u) => {
        const idx = u.cursor.idx;
        const top = u.cursor.top ?? -1;
        let best: TipSeries | undefined, dist = Infinity;
        for (const s of lines) {
          const v = idx == null ? null : (u.data[s.index][idx] as number | null | undefined);
          if (v == null || !u.series[s.index].show) continue;
          const d = Math.abs(u.valToPos(v, "y") - top);
          if (d < dist) [best, dist] = [s, d];
        }
        if (!best || idx == null || top < 0) return void (tip.hidden = true);
        const x = u.data[0][idx] as number;
        const value = u.data[best.index][idx] as number;
        const extra = best.extra ? best.extra(idx) : "";
        tip.replaceChildren(h("b", {}, best.label), h("br"), xText(x), h("br"), `value ${formatNumber(value)}`);
        if (extra) tip.append(h("br"), extra);
        tip.hidden = false;
        const left = Math.min(u.cursor.left! + 12, u.over.clientWidth - 160);
        tip.style.left = `${Math.max(0, left)}px`;
        tip.style.top = `${Math.max(0, top - 10)}px`;
      },
    },
  };
}
