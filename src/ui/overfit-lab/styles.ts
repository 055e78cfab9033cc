// <overfit-lab>'s shadow styles. Theme it from outside with the --overfit-* custom properties
// (defaults in ../tokens.ts) and the ::part() names documented on the element.
import { css, unsafeCSS } from 'lit';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { PALETTE, tokenDeclarations } from '../tokens.ts';

export const styles = [
  unsafeCSS(uplotCss),
  css`
    :host {
      ${unsafeCSS(tokenDeclarations())}
      display: block;
      container-type: inline-size;
      color: var(--overfit-fg);
      background: var(--overfit-bg);
      font-family: var(--overfit-font);
      font-size: 15px;
      line-height: 1.5;
      min-width: 0;
    }
    :host([hidden]) {
      display: none;
    }
    * {
      box-sizing: border-box;
    }
    .lab {
      display: grid;
      gap: var(--overfit-gap);
    }
    .lab:lang(ko) {
      word-break: keep-all; /* Korean breaks between words, not inside them */
      overflow-wrap: break-word;
    }
    h2,
    h3,
    h4 {
      margin: 0;
      line-height: 1.3;
    }
    h2 {
      font-size: 1.25rem;
    }
    h3 {
      font-size: 1rem;
    }
    h4 {
      font-size: 0.875rem;
    }
    p {
      margin: 0;
    }
    button,
    input,
    select {
      font: inherit;
      color: inherit;
    }
    :focus-visible {
      outline: 3px solid var(--overfit-accent);
      outline-offset: 2px;
    }

    /* Experiment picker: native radios styled as a segmented control (arrow keys move). */
    .picker {
      border: 0;
      margin: 0;
      padding: 0;
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      align-items: center;
    }
    .picker legend {
      float: left;
      margin-right: 8px;
      font-weight: 600;
      font-size: 0.875rem;
      color: var(--overfit-muted);
    }
    .pill {
      position: relative;
    }
    .pill input {
      position: absolute;
      opacity: 0;
      inset: 0;
      margin: 0;
      cursor: pointer;
    }
    .pill span {
      display: inline-block;
      padding: 4px 12px;
      border: 1px solid var(--overfit-border);
      border-radius: 999px;
      font-size: 0.875rem;
      background: var(--overfit-bg);
    }
    .pill input:checked + span {
      background: var(--overfit-accent);
      border-color: var(--overfit-accent);
      color: var(--overfit-accent-fg);
      font-weight: 600;
    }
    .pill input:focus-visible + span {
      outline: 3px solid var(--overfit-accent);
      outline-offset: 2px;
    }
    .picker:disabled .pill span {
      opacity: 0.6;
    }

    .head {
      display: grid;
      gap: 10px;
    }

    /* Explanation */
    .explain {
      border: 1px solid var(--overfit-border);
      border-radius: var(--overfit-radius);
      background: var(--overfit-surface);
      padding: 10px 14px;
    }
    .explain > summary,
    .sub > summary {
      cursor: pointer;
      font-weight: 600;
    }
    .explain[open] > summary {
      margin-bottom: 6px;
    }
    .explain p + p,
    .explain ul {
      margin-top: 6px;
    }
    .explain ul {
      padding-left: 1.2em;
      margin-bottom: 0;
    }
    .explain h4 {
      margin-top: 10px;
    }
    .sub {
      margin-top: 8px;
    }

    /* Toolbar */
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: 10px 18px;
      align-items: end;
    }
    .group {
      display: flex;
      flex-wrap: wrap;
      gap: 6px 10px;
      align-items: end;
    }
    .group-label {
      font-size: 0.8125rem;
      color: var(--overfit-muted);
      align-self: center;
    }
    button {
      min-height: 36px;
      padding: 6px 14px;
      border-radius: 6px;
      border: 1px solid var(--overfit-border);
      background: var(--overfit-bg);
      cursor: pointer;
      font-weight: 500;
    }
    button:hover:not([aria-disabled='true']) {
      border-color: var(--overfit-muted);
    }
    button.primary {
      background: var(--overfit-accent);
      border-color: var(--overfit-accent);
      color: var(--overfit-accent-fg);
      font-weight: 600;
      min-width: 7.5em;
    }
    button[aria-disabled='true'] {
      opacity: 0.5;
      cursor: not-allowed;
    }
    button.small {
      min-height: 30px;
      padding: 3px 10px;
      font-size: 0.8125rem;
    }
    .field {
      display: grid;
      gap: 2px;
      font-size: 0.8125rem;
      color: var(--overfit-muted);
    }
    .field input,
    .field select {
      min-height: 36px;
      padding: 4px 8px;
      border: 1px solid var(--overfit-border);
      border-radius: 6px;
      background: var(--overfit-bg);
      color: var(--overfit-fg);
      font-size: 0.9375rem;
    }
    .field input[type='number'] {
      width: 7.5em;
    }
    .field input[name='sweep-values'] {
      width: 14em;
    }
    .field input[aria-invalid='true'] {
      border-color: var(--overfit-danger);
    }
    .field-error {
      flex-basis: 100%;
      margin: 0;
      font-size: 0.8125rem;
      color: var(--overfit-danger);
    }
    .sweep,
    .patience {
      flex-wrap: wrap;
    }
    .field-hint {
      flex-basis: 100%;
      max-width: 36em;
      margin: 0;
      font-size: 0.75rem;
      color: var(--overfit-muted);
    }
    .check,
    .range {
      display: flex;
      gap: 6px;
      align-items: center;
      font-size: 0.875rem;
      min-height: 36px;
    }
    .range input {
      width: 7em;
    }
    .range output {
      font-variant-numeric: tabular-nums;
      min-width: 2.2em;
    }

    .status {
      font-size: 0.875rem;
      color: var(--overfit-muted);
      min-height: 1.5em;
    }
    .status[data-status='running'],
    .status[data-status='compiling'],
    .status[data-status='loading'] {
      color: var(--overfit-fg);
    }

    .alert,
    .panel {
      border: 1px solid var(--overfit-danger);
      border-left-width: 4px;
      border-radius: var(--overfit-radius);
      padding: 12px 14px;
      display: grid;
      gap: 8px;
      justify-items: start;
      background: #fff8f7;
    }
    .alert h3,
    .panel h3 {
      color: var(--overfit-danger);
    }
    .panel ul {
      margin: 0;
      padding-left: 1.2em;
    }
    .detail {
      font-family: var(--overfit-mono);
      font-size: 0.8125rem;
      overflow-wrap: anywhere;
    }

    /* Charts */
    .charts {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 12px var(--overfit-gap);
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      font-size: 0.8125rem;
      color: var(--overfit-muted);
      align-items: center;
    }
    .legend .model {
      color: var(--overfit-fg);
      font-weight: 600;
    }
    .key {
      display: inline-flex;
      align-items: center;
      gap: 6px;
    }
    .line {
      display: inline-block;
      width: 22px;
      border-top: 3px solid var(--c, var(--overfit-muted));
    }
    .line.dashed {
      border-top-style: dashed;
    }
    .line.dotted {
      border-top: 2px dotted var(--overfit-muted);
    }
    .sweep-values,
    .sweep-models {
      display: inline-flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 8px;
    }
    .key.toggle {
      min-height: 28px;
      padding: 2px 8px;
      border: 1px solid var(--overfit-border);
      border-radius: 999px;
      background: var(--overfit-bg);
      color: var(--overfit-fg);
      font: inherit;
      cursor: pointer;
    }
    .key.toggle[aria-pressed='true'] {
      border-color: var(--c);
      box-shadow: inset 0 0 0 1px var(--c);
      font-weight: 600;
    }
    .charts .note {
      margin: 0;
      font-size: 0.8125rem;
      color: var(--overfit-muted);
    }
    .line.band {
      border: 0;
      height: 10px;
      background: rgba(87, 96, 106, 0.18);
    }
    .line.window {
      border: 0;
      width: 16px;
      height: 12px;
      background: rgba(87, 96, 106, 0.14);
    }
    .line.restored {
      width: 0;
      height: 12px;
      border-top: 0;
      border-left: 2px solid var(--overfit-muted);
    }
    figure {
      margin: 0;
      min-width: 0;
    }
    figcaption {
      font-weight: 600;
      font-size: 0.875rem;
      margin-bottom: 2px;
    }
    .plot {
      min-height: 170px;
      min-width: 0;
    }
    .tip {
      position: absolute;
      top: 4px;
      z-index: 2;
      pointer-events: none;
      background: rgba(255, 255, 255, 0.94);
      border: 1px solid var(--overfit-border);
      border-radius: 6px;
      padding: 4px 8px;
      font-size: 0.75rem;
      line-height: 1.4;
      white-space: nowrap;
      font-variant-numeric: tabular-nums;
      box-shadow: 0 2px 6px rgba(0, 0, 0, 0.08);
    }
    .tip[hidden] {
      display: none;
    }
    .tip-head span {
      color: var(--overfit-muted);
    }
    .tip i {
      display: inline-block;
      width: 10px;
      height: 3px;
      margin-right: 5px;
      vertical-align: middle;
    }
    .tip b {
      font-weight: 600;
      margin-right: 4px;
    }

    ${unsafeCSS(PALETTE.map((_, i) => `.c${i + 1} { --c: var(--overfit-color-${i + 1}); }`).join('\n'))}
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }

    /* View tabs: the curves or the weights */
    .tabs {
      display: flex;
      gap: 4px;
      border-bottom: 1px solid var(--overfit-border);
      margin-bottom: calc(-1 * var(--overfit-gap) + 8px);
    }
    button.tab {
      border: 1px solid transparent;
      border-bottom: 0;
      border-radius: 6px 6px 0 0;
      margin-bottom: -1px;
      background: transparent;
      color: var(--overfit-muted);
      font-weight: 600;
      padding: 6px 18px;
    }
    button.tab:hover:not([aria-selected='true']) {
      border-color: transparent;
      color: var(--overfit-fg);
    }
    button.tab[aria-selected='true'] {
      border-color: var(--overfit-border);
      background: var(--overfit-bg);
      color: var(--overfit-fg);
      box-shadow: inset 0 3px 0 var(--overfit-accent);
    }

    /* Weights view */
    .weights {
      display: grid;
      gap: 14px;
    }
    .weights-empty {
      color: var(--overfit-muted);
      padding: 24px 0;
    }
    .scrubber {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 14px;
      align-items: center;
    }
    .scrubber .range {
      flex: 1 1 16em;
      max-width: 32em;
    }
    .scrubber .range input {
      flex: 1;
      min-width: 8em;
    }
    .epoch-label {
      font-weight: 600;
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    .weights-explain {
      border: 1px solid var(--overfit-border);
      border-radius: var(--overfit-radius);
      background: var(--overfit-surface);
      padding: 10px 14px;
      display: grid;
      gap: 6px;
    }
    .weights-explain .measured {
      font-weight: 600;
    }
    .weights .note,
    .weights-explain .reading {
      font-size: 0.8125rem;
      color: var(--overfit-muted);
    }
    .weights-charts,
    .weights-models {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 240px), 1fr));
      gap: 14px var(--overfit-gap);
    }
    .weights-charts {
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr));
    }
    .weights svg {
      display: block;
      width: 100%;
      height: auto;
      overflow: visible;
    }
    .wchart svg {
      max-width: 560px;
    }
    .hist svg {
      max-width: 420px;
    }
    .wmodel {
      display: grid;
      gap: 8px;
      align-content: start;
      min-width: 0;
      border-top: 4px solid var(--c);
      padding-top: 6px;
      margin: 0;
    }
    .wmodel h4,
    .wmodel h5,
    .wordlist figcaption {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 2px 8px;
      margin: 0;
      font-family: var(--overfit-mono);
      font-size: 0.9375rem;
      font-weight: 600;
    }
    .wmodel .line {
      width: 14px;
    }
    .wepoch {
      font-family: var(--overfit-font);
      font-weight: 400;
      font-size: 0.8125rem;
      color: var(--overfit-muted);
    }
    .dead,
    .hist-stats {
      font-size: 0.8125rem;
      font-variant-numeric: tabular-nums;
    }
    .hist figcaption {
      font-size: 0.75rem;
      font-weight: 400;
      color: var(--overfit-muted);
    }
    .hist .tensor {
      font-family: var(--overfit-mono);
      font-weight: 600;
      color: var(--overfit-fg);
    }
    .weights svg .bar {
      fill: var(--c);
    }
    .weights svg .bar.zero {
      stroke: var(--overfit-fg);
      stroke-width: 0.6;
    }
    .weights svg .grid {
      stroke: var(--overfit-grid);
    }
    .weights svg .baseline {
      stroke: var(--overfit-border);
    }
    .weights svg .marker,
    .weights svg .cursor {
      stroke: var(--overfit-fg);
      stroke-dasharray: 3 2;
      opacity: 0.6;
    }
    .weights svg text {
      font-family: var(--overfit-font);
      fill: var(--overfit-muted);
      font-size: 8px;
    }
    .wchart svg text {
      font-size: 10px;
    }
    .weights svg polyline {
      fill: none;
      stroke: var(--c);
      stroke-width: 2;
      stroke-linejoin: round;
    }
    .weights svg circle {
      fill: var(--c);
    }
    .weights svg .area {
      fill: var(--c);
      fill-opacity: 0.12;
      stroke: var(--c);
      stroke-width: 1.5;
      stroke-linejoin: round;
    }
    .words {
      display: grid;
      gap: 8px;
    }
    .wordlist ol {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 2px;
      font-size: 0.8125rem;
    }
    .wordlist li {
      display: grid;
      grid-template-columns: minmax(4em, 7em) minmax(0, 1fr) 4.5em;
      gap: 8px;
      align-items: center;
    }
    .wordlist .word {
      font-family: var(--overfit-mono);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .weights svg.wbar {
      height: 8px;
    }
    .wbar .track {
      fill: var(--overfit-grid);
    }
    .norm {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    .words-count {
      font-size: 0.8125rem;
      font-weight: 600;
    }

    /* Model cards */
    .cards {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 12px;
    }
    .card {
      grid-template-columns: minmax(0, 1fr);
      border: 1px solid var(--overfit-border);
      border-top: 4px solid var(--c);
      border-radius: var(--overfit-radius);
      padding: 10px 12px;
      display: grid;
      gap: 8px;
      align-content: start;
      min-width: 0;
      background: var(--overfit-bg);
    }
    .card header {
      display: flex;
      flex-wrap: wrap;
      gap: 2px 10px;
      align-items: baseline;
    }
    .card h3 {
      font-family: var(--overfit-mono);
    }
    .params {
      font-size: 0.8125rem;
      color: var(--overfit-muted);
    }
    .progress {
      height: 8px;
      border-radius: 4px;
      background: var(--overfit-grid);
      overflow: hidden;
    }
    .progress > div {
      height: 100%;
      background: var(--c);
      transition: width 0.2s;
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      gap: 2px 14px;
      font-size: 0.8125rem;
      font-variant-numeric: tabular-nums;
    }
    .meta .epoch {
      font-weight: 600;
    }
    /* Stopped early: the planned epochs it did not need, hatched rather than empty. */
    .progress.early {
      background: repeating-linear-gradient(135deg, var(--overfit-grid) 0 4px, transparent 4px 8px);
      box-shadow: inset 0 0 0 1px var(--overfit-grid);
    }
    .early-stopping {
      margin: 0;
      font-size: 0.8125rem;
    }
    .early-stopping[data-state='restored'],
    .early-stopping[data-state='stopped'] {
      font-weight: 600;
    }
    .metrics {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(7.5em, 1fr));
      gap: 4px 12px;
      margin: 0;
      font-size: 0.8125rem;
    }
    .metrics div {
      min-width: 0;
    }
    .metrics dt {
      color: var(--overfit-muted);
    }
    .metrics dd {
      margin: 0;
      font-variant-numeric: tabular-nums;
      font-weight: 600;
    }
    .scores {
      border-radius: 6px;
      background: var(--overfit-surface);
      padding: 6px 8px;
      display: grid;
      gap: 4px;
    }
    .card-error {
      color: var(--overfit-danger);
      font-size: 0.8125rem;
    }
    .layers summary {
      cursor: pointer;
      font-size: 0.8125rem;
      color: var(--overfit-muted);
    }
    .table-wrap {
      overflow-x: auto;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      font-size: 0.75rem;
      font-family: var(--overfit-mono);
      margin-top: 4px;
    }
    th,
    td {
      text-align: left;
      padding: 2px 6px 2px 0;
      border-bottom: 1px solid var(--overfit-grid);
      white-space: nowrap;
    }
    th {
      font-weight: 600;
      font-family: var(--overfit-font);
    }
    td:first-child {
      white-space: normal; /* "batch_normalization_1 (BatchNormalization)" wraps before its type */
      overflow-wrap: anywhere;
    }
    td.num,
    th.num {
      text-align: right;
      padding-right: 0;
    }
    tfoot td {
      border-bottom: 0;
      font-weight: 600;
    }

    /* Model editor (the edit control) */
    .editor {
      border: 1px solid var(--overfit-border);
      border-radius: var(--overfit-radius);
      padding: 8px 12px 12px;
      min-width: 0;
    }
    .editor > summary {
      font-weight: 600;
      cursor: pointer;
      min-height: 28px;
    }
    .edit-body {
      border: 0;
      padding: 0;
      margin: 8px 0 0;
      min-width: 0;
      display: grid;
      gap: 12px;
    }
    .edit-run,
    .edit-model {
      border: 1px solid var(--overfit-border);
      border-radius: var(--overfit-radius);
      padding: 8px 10px 10px;
      margin: 0;
      min-width: 0;
    }
    .edit-run {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 14px;
      align-items: start;
    }
    .edit-run legend,
    .edit-model legend {
      font-weight: 600;
      font-size: 0.875rem;
      padding: 0 4px;
    }
    .edit-model {
      border-top: 4px solid var(--c);
      display: grid;
      gap: 8px;
      align-content: start;
    }
    .edit-model legend {
      font-family: var(--overfit-mono);
    }
    .swatch {
      display: inline-block;
      width: 10px;
      height: 10px;
      border-radius: 2px;
      background: var(--c);
      margin-right: 6px;
    }
    .edit-models {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 400px), 1fr));
      gap: 12px;
    }
    .edit-field {
      display: grid;
      gap: 2px;
      align-content: start;
      max-width: 100%;
    }
    .edit-field .field input {
      width: 6.5em;
    }
    .edit-field.wide .field input {
      width: 12em;
      max-width: 100%;
    }
    .edit-field .field-error {
      max-width: 22em;
    }
    .edit-row,
    .edit-actions {
      display: flex;
      flex-wrap: wrap;
      gap: 6px 10px;
      align-items: end;
    }
    .edit-layers {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 6px;
    }
    .edit-layer {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      gap: 4px 8px;
      padding: 6px 8px;
      border-radius: 6px;
      background: var(--overfit-surface);
    }
    .edit-layer-title {
      grid-column: 1 / -1;
      font-family: var(--overfit-mono);
      font-size: 0.8125rem;
      font-weight: 600;
    }
    .edit-layer-fields {
      display: flex;
      flex-wrap: wrap;
      gap: 6px 10px;
      align-items: end;
      min-width: 0;
    }
    .edit-layer > button {
      align-self: end;
      min-width: 30px;
    }
    .edit-layer > .field-error {
      grid-column: 1 / -1;
    }
    .edit-params {
      margin: 0;
      font-size: 0.8125rem;
      font-variant-numeric: tabular-nums;
    }
    .field select[aria-invalid='true'] {
      border-color: var(--overfit-danger);
    }
    .start-reason {
      margin-top: -8px;
    }
    .edit-import {
      min-width: 0;
      border: 1px solid var(--overfit-border);
      border-radius: var(--overfit-radius);
      padding: 8px 10px 10px;
      margin: 0;
      display: grid;
      gap: 6px;
    }
    .edit-import legend {
      font-weight: 600;
      font-size: 0.875rem;
      padding: 0 4px;
    }
    .edit-import input[type='file'] {
      min-height: 0;
      padding: 4px;
      max-width: 100%;
    }
    .edit-import textarea,
    .keras-dialog textarea {
      font-family: var(--overfit-mono);
      font-size: 0.8125rem;
      border: 1px solid var(--overfit-border);
      border-radius: 6px;
      padding: 4px 8px;
      background: var(--overfit-bg);
      color: var(--overfit-fg);
      box-sizing: border-box;
    }
    .edit-import textarea {
      width: min(24em, 100%);
    }
    .edit-import .field.wide {
      flex: 1 1 16em;
    }
    .edit-import .import-message:empty {
      display: none;
    }
    .keras-status {
      flex-basis: 100%;
      margin: 0;
      font-size: 0.8125rem;
      min-height: 1em;
    }
    .keras-status:empty {
      display: none;
    }
    .keras-status[data-ok='false'] {
      color: var(--overfit-danger);
    }
    .keras-dialog {
      width: min(760px, calc(100vw - 32px));
      max-height: calc(100vh - 32px);
      border: 1px solid var(--overfit-border);
      border-radius: var(--overfit-radius);
      padding: 16px;
      background: var(--overfit-bg);
      color: var(--overfit-fg);
      box-sizing: border-box;
    }
    .keras-dialog::backdrop {
      background: rgb(0 0 0 / 0.35);
    }
    .keras-dialog h3 {
      margin: 0 0 6px;
      font-size: 1rem;
    }
    .keras-dialog p {
      margin: 0 0 8px;
      font-size: 0.875rem;
    }
    .keras-dialog textarea {
      width: 100%;
      height: min(50vh, 420px);
      resize: vertical;
      white-space: pre;
    }
    .keras-dialog .edit-row {
      margin-top: 8px;
      justify-content: end;
    }
    .card .take {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 10px;
      align-items: center;
      margin: 8px 0 0;
    }
    .card .take .field-hint {
      flex-basis: auto;
    }
    /* Saved runs (the runs control) */
    .runs {
      border: 1px solid var(--overfit-border);
      border-radius: var(--overfit-radius);
      padding: 8px 12px 12px;
      min-width: 0;
      display: grid;
      gap: 8px;
    }
    .runs > summary {
      font-weight: 600;
      cursor: pointer;
      min-height: 28px;
    }
    .runs .count {
      font-weight: 400;
      color: var(--overfit-muted);
    }
    .runs-status {
      margin: 0;
      font-size: 0.8125rem;
    }
    .runs-status:empty {
      display: none;
    }
    .runs-status[data-ok='false'] {
      color: var(--overfit-danger);
    }
    .runs-empty {
      margin: 0;
      font-size: 0.875rem;
      color: var(--overfit-muted);
    }
    .runs-list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 6px;
    }
    .run {
      border: 1px solid var(--overfit-border);
      border-radius: 6px;
      padding: 6px 10px 8px;
      display: grid;
      gap: 4px;
      min-width: 0;
    }
    .run[data-pinned='true'] {
      border-color: var(--overfit-accent);
      box-shadow: inset 3px 0 0 var(--overfit-accent);
    }
    .run-name {
      overflow-wrap: anywhere;
    }
    .run .rename {
      width: min(100%, 32em);
      min-height: 32px;
      padding: 2px 8px;
      font: inherit;
    }
    .run-meta,
    .run-models {
      margin: 0;
      font-size: 0.8125rem;
      color: var(--overfit-muted);
      display: flex;
      flex-wrap: wrap;
      gap: 2px 12px;
    }
    .run-model {
      color: var(--overfit-fg);
      font-family: var(--overfit-mono);
    }
    .confirm {
      display: inline-flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      font-size: 0.8125rem;
    }
    button.danger {
      border-color: var(--overfit-danger);
      color: var(--overfit-danger);
    }
    .runs-actions .field input[type='file'] {
      min-height: 30px;
      padding: 2px;
      font-size: 0.8125rem;
    }
    .key.pinned {
      opacity: 0.7;
    }
    .key.pinned .line {
      border-top-width: 2px;
      opacity: 0.6;
    }
    @container (min-width: 620px) {
      .cards {
        grid-template-columns: repeat(auto-fit, minmax(260px, 1fr));
      }
      .head {
        grid-template-columns: 1fr auto;
        align-items: center;
      }
    }
    @container (min-width: 980px) {
      .charts {
        grid-template-columns: minmax(0, 3fr) minmax(0, 2fr) minmax(0, 2fr);
      }
      .legend {
        grid-column: 1 / -1;
      }
    }
    @container (max-width: 520px) {
      .wchart svg text {
        font-size: 13px; /* the 400-unit charts shrink on a phone: keep their labels readable */
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .progress > div {
        transition: none;
      }
    }
  `,
];
