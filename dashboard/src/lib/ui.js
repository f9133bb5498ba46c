// Small UI pieces every page uses: cards, a sortable table, a Chart.js chart.

import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import {
  Chart,
  LineController,
  BarController,
  LineElement,
  BarElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Legend,
  Tooltip,
  Filler,
} from 'chart.js';

Chart.register(LineController, BarController, LineElement, BarElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip, Filler);
Chart.defaults.color = '#9aa3b2';
Chart.defaults.borderColor = '#2a2f3a';

export const html = htm.bind(h);

/** A labelled figure; `testid` names it for the browser test. */
export function Card({ label, value, sub, testid }) {
  return html`<div class="card" data-testid=${testid}>
    <div class="label">${label}</div>
    <div class="value">${value}</div>
    ${sub ? html`<div class="sub">${sub}</div>` : null}
  </div>`;
}

/**
 * A table sorted by clicking a header. `columns`: `{ key, label, render?(row), sort?(row) }`
 * (sort values may be BigInt, numbers or strings); `rowKey(row)` names rows.
 */
export function SortableTable({ columns, rows, rowKey, initial, testid }) {
  const [sort, setSort] = useState(initial ?? { key: columns[0].key, asc: true });
  const column = columns.find((c) => c.key === sort.key) ?? columns[0];
  const value = column.sort ?? ((r) => r[column.key]);
  const sorted = [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return sort.asc ? c : -c;
  });
  const click = (key) => setSort(sort.key === key ? { key, asc: !sort.asc } : { key, asc: false });
  return html`<div class="table-wrap"><table data-testid=${testid}>
    <thead><tr>${columns.map(
      (c) => html`<th class=${c.key === sort.key ? `sorted ${sort.asc ? 'asc' : ''}` : ''} onClick=${() => click(c.key)}>${c.label}</th>`,
    )}</tr></thead>
    <tbody>${sorted.map(
      (r) => html`<tr key=${rowKey(r)} data-row=${rowKey(r)}>${columns.map(
        (c) => html`<td data-col=${c.key}>${c.render ? c.render(r) : String(r[c.key])}</td>`,
      )}</tr>`,
    )}</tbody>
  </table></div>`;
}

/**
 * A Chart.js chart updated in place when `config.data` changes (no animation: it redraws on
 * every finalized block).
 */
export function ChartBox({ title, config, testid }) {
  const canvas = useRef(null);
  const chart = useRef(null);
  useEffect(() => {
    chart.current = new Chart(canvas.current, {
      ...config,
      options: { animation: false, maintainAspectRatio: false, responsive: true, ...config.options },
    });
    return () => chart.current.destroy();
  }, []);
  useEffect(() => {
    if (!chart.current) return;
    chart.current.data = config.data;
    chart.current.update('none');
  }, [config.data]);
  return html`<div class="chart" data-testid=${testid}>
    <h3>${title}</h3>
    <div class="canvas"><canvas ref=${canvas}></canvas></div>
  </div>`;
}
