// nblint's view: renders the JSON objects of src/emit/view.rs. In a report
// (`nblint check --format html`) they are embedded in #nblint-data; in the page they come from
// the WebAssembly module in #nblint-wasm, which checks dropped files inside the browser.
// Offsets (`at`, `labels_at`, cell `at`) are UTF-16 units into the file's `text`.
'use strict';
(function () {
  const T = {
    zh: { title: '政府信息公开工作年度报告检查', error: '错误', warning: '警告', note: '提示',
      one: { error: '错误', warning: '警告', note: '提示' },
      copy: '复制全部问题', print: '打印', drop: '把年报文件拖到这里，或', pick: '选择文件',
      privacy: '文件不会离开这台电脑：检查在本网页内完成，不上传、不联网。支持 .docx、.pdf、.html、.txt、.md，可一次选多个。',
      foot: 'nblint 检查的是文字、格式和算术，不能代替人工审核。', findings: '发现的问题',
      none: '没有发现问题。', other: '开头及全文', fix: '怎么改：', basis: '依据：', line: (n) => `第${n}行`,
      year: '年度', template: '模板', agency: '单位', body: '单位类型', glance: '报告中的统计表（nblint 读到的数字）',
      unread: '这张表没有读准，算术没有检查，请核对表格格式。', notfound: '（未找到这一行）', checking: '正在检查',
      done: (n, ms) => `已检查 ${n} 个文件，用时 ${ms} 毫秒。`, failed: '无法检查这个文件', copied: '已复制', notext: '这个文件没有读出正文，见右边的说明。',
      bodies: { township: '乡镇、街道', government: '县级以上人民政府', department: '政府部门' }, lang: 'English' },
    en: { title: 'Annual report checker (government information disclosure)', error: 'Errors', warning: 'Warnings', note: 'Notes',
      one: { error: 'error', warning: 'warning', note: 'note' },
      copy: 'Copy all findings', print: 'Print', drop: 'Drop report files here, or', pick: 'choose files',
      privacy: 'Files never leave this computer: the check runs inside this page, with no upload and no network. .docx, .pdf, .html, .txt and .md; several at once.',
      foot: 'nblint checks wording, format and arithmetic; it does not replace a human review.', findings: 'Findings',
      none: 'No findings.', other: 'Opening and whole report', fix: 'Fix: ', basis: 'Basis: ', line: (n) => `line ${n}`,
      year: 'Year', template: 'Template', agency: 'Agency', body: 'Body', glance: 'Statistical tables (the numbers nblint read)',
      unread: 'This table could not be read with confidence; its arithmetic was not checked.', notfound: '(row not found)', checking: 'Checking',
      done: (n, ms) => `Checked ${n} file(s) in ${ms} ms.`, failed: 'Could not check this file', copied: 'Copied', notext: 'No text could be read from this file; see the finding on the right.',
      bodies: { township: 'township', government: 'county or higher government', department: 'government department' }, lang: '中文' },
  };
  const SEVS = ['error', 'warning', 'note'];
  const PAGE = document.body.dataset.mode === 'page';
  const $ = (id) => document.getElementById(id);
  const st = { files: [], cur: 0, lang: 'zh', show: { error: true, warning: true, note: true }, sel: -1, raw: [] };
  const t = (k) => T[st.lang][k];
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

  // Findings across reports arrive as extra objects for a path already listed: merge them.
  function addFiles(list) {
    for (const f of list) {
      if (!f) continue;
      const had = st.files.find((g) => g.path === f.path && g.text === f.text);
      if (had && f.blocks.length === 0) {
        had.diagnostics = had.diagnostics.concat(f.diagnostics);
        for (const k of ['errors', 'warnings', 'notes']) had.counts[k] += f.counts[k];
      } else st.files.push(f);
    }
  }

  // ---- the document, with the findings marked ----
  // Returns HTML for text[s..e], wrapping stretches covered by findings in <mark>.
  function marked(f, s, e) {
    const text = f.text, cuts = new Set([s, e]), spans = [];
    f.diagnostics.forEach((d, i) => {
      if (!st.show[d.severity]) return;
      const add = (a, b, label) => {
        if (b <= a) b = a + 1; // a point: mark the character there
        if (a < e && b > s) { spans.push({ a: Math.max(a, s), b: Math.min(b, e), i, label, sev: d.severity }); }
      };
      add(d.at[0], d.at[1], false);
      d.labels_at.forEach((l) => add(l[0], l[1], true));
    });
    for (const p of spans) { cuts.add(p.a); cuts.add(p.b); }
    const pts = [...cuts].sort((x, y) => x - y);
    let out = '';
    for (let k = 0; k + 1 < pts.length; k++) {
      const a = pts[k], b = pts[k + 1], seg = esc(text.slice(a, b));
      const on = spans.filter((p) => p.a <= a && p.b >= b);
      const main = on.filter((p) => !p.label);
      if (on.length === 0) { out += seg; continue; }
      const top = main.length ? SEVS.find((v) => main.some((p) => p.sev === v)) : 'label';
      out += `<mark class="${top}" data-d="${[...new Set(on.map((p) => p.i))].join(' ')}">${seg}</mark>`;
    }
    return out;
  }

  // The findings whose primary span falls in a cell (worst first: one mistyped cell is blamed
  // by its row's and its column's finding), and whether findings use it.
  function cellClass(f, at) {
    let hits = [], operand = false;
    f.diagnostics.forEach((d, i) => {
      if (!st.show[d.severity]) return;
      const inCell = (a, b) => a >= at[0] && b <= at[1]; // a finding about the cell, not a whole table
      if (inCell(d.at[0], d.at[1])) hits.push({ sev: d.severity, i });
      if (d.labels_at.some((l) => inCell(l[0], l[1]))) operand = true;
    });
    if (hits.length) {
      hits.sort((a, b) => SEVS.indexOf(a.sev) - SEVS.indexOf(b.sev) || a.i - b.i);
      return { cls: `hit ${hits[0].sev}`, d: hits.map((h) => h.i).join(' ') };
    }
    return { cls: operand ? 'operand' : '', d: '' };
  }

  function renderDoc(f) {
    let h = '';
    for (const b of f.blocks) {
      if (b.rows) {
        h += `<table data-table="${b.table}">`;
        for (const row of b.rows) {
          h += '<tr>';
          for (const c of row) {
            if (!c) continue;
            const k = cellClass(f, c.at), span = (c.rs ? ` rowspan="${c.rs}"` : '') + (c.cs ? ` colspan="${c.cs}"` : '');
            const num = /^[\d.,%％\s]+$/.test(f.text.slice(c.at[0], c.at[1])) ? ' num' : '';
            h += `<td class="${k.cls}${num}"${span}${k.d ? ` data-d="${k.d}"` : ''}>${marked(f, c.at[0], c.at[1])}</td>`;
          }
          h += '</tr>';
        }
        h += '</table>';
      } else {
        // A numbered paragraph of prose (（一）主动公开方面。全年……) stays a paragraph.
        const tag = b.h && b.at[1] - b.at[0] <= 40 ? `h${Math.min(b.h + 1, 5)}` : 'p';
        const md = b.h ? /^#{1,6}[ \t]+/.exec(f.text.slice(b.at[0], b.at[1])) : null; // Markdown's ##
        h += `<${tag}>${marked(f, b.at[0] + (md ? md[0].length : 0), b.at[1])}</${tag}>`;
      }
    }
    $('doc').innerHTML = h || `<p class="unread">${t('notext')}</p>`;
  }

  // ---- the findings ----
  function where(d) { return d.location || (d.line && st.files[st.cur].text ? t('line')(d.line) : ''); }
  function notes(d) {
    const basis = /^(依据：|Basis: )/;
    return {
      calc: d.notes.filter((n) => !basis.test(n)),
      basis: d.notes.filter((n) => basis.test(n)).map((n) => n.replace(basis, '')),
    };
  }

  function renderFindings(f) {
    const groups = new Map();
    f.diagnostics.forEach((d, i) => {
      if (!st.show[d.severity]) return;
      const g = d.section || t('other');
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(i);
    });
    let h = `<h2>${t('findings')}</h2>`;
    if (groups.size === 0) h += `<p class="empty">${t('none')}</p>`;
    for (const [g, ids] of groups) {
      h += `<h3>${esc(g)}</h3>`;
      for (const i of ids) {
        const d = f.diagnostics[i], n = notes(d);
        h += `<div class="finding ${d.severity}${i === st.sel ? ' sel' : ''}" data-f="${i}">`
          + `<div class="head"><span class="badge ${d.severity}">${t('one')[d.severity]}</span>${esc(d.message)} <span class="code">${esc(d.code)} ${esc(d.name)}</span></div>`
          + `<div class="where">${esc(where(d))}</div>`
          + n.calc.map((c) => `<div class="calc">${esc(c)}</div>`).join('')
          + (d.help ? `<div class="fix">${t('fix')}${esc(d.help)}</div>` : '')
          + n.basis.map((b) => `<div class="basis">${t('basis')}${esc(b)}</div>`).join('')
          + '</div>';
      }
    }
    $('findings').innerHTML = h;
  }

  // ---- the statistical tables as read ----
  function renderGlance(f) {
    if (!f.tables.length) { $('glance').hidden = true; return; }
    let h = `<h2>${t('glance')}</h2>`;
    for (const tb of f.tables) {
      h += `<h3>${esc(tb.name)}</h3>`;
      if (!tb.readable) h += `<p class="unread">${t('unread')}</p>`;
      h += `<table class="read"><tr><th></th>${tb.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
      for (const r of tb.rows) {
        h += `<tr><th>${esc(r.label)}${r.found ? '' : ` <span class="code">${t('notfound')}</span>`}</th>`;
        for (const c of r.cells) {
          if (!c) { h += '<td class="missing"></td>'; continue; }
          const k = cellClass(f, c);
          h += `<td class="num ${k.cls}"${k.d ? ` data-d="${k.d}"` : ''}>${esc(f.text.slice(c[0], c[1]))}</td>`;
        }
        h += '</tr>';
      }
      h += '</table>';
    }
    $('glance').innerHTML = h;
    $('glance').hidden = false;
  }

  function renderFiles() {
    $('files').innerHTML = st.files.map((f, i) => {
      const b = f.body_type ? (t('bodies')[f.body_type] || f.body_type) : '';
      const meta = [f.report_year && `${t('year')} ${f.report_year}`, f.template && `${t('template')} ${f.template}`,
        f.agency && `${t('agency')} ${f.agency}`, b && `${t('body')} ${b}`].filter(Boolean).map(esc).join(' · ');
      return `<button type="button" class="card${i === st.cur ? ' cur' : ''}" data-file="${i}"><div class="name">${esc(f.path)}</div>`
        + `<div><span class="n error">${t('error')} ${f.counts.errors}</span><span class="n warning">${t('warning')} ${f.counts.warnings}</span>`
        + `<span class="n note">${t('note')} ${f.counts.notes}</span></div><div class="meta">${meta}</div></button>`;
    }).join('');
  }

  function render() {
    document.documentElement.lang = st.lang === 'zh' ? 'zh-CN' : 'en';
    document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
    $('lang').textContent = t('lang');
    if (st.lastMs !== undefined) $('status').textContent = t('done')(st.lastN, st.lastMs);
    renderFiles();
    const f = st.files[st.cur];
    $('main').hidden = !f;
    if (!f) { $('glance').hidden = true; return; }
    renderDoc(f);
    renderFindings(f);
    renderGlance(f);
  }

  function select(i, from) {
    st.sel = i;
    document.querySelectorAll('.finding.sel').forEach((e) => e.classList.remove('sel'));
    const card = document.querySelector(`.finding[data-f="${i}"]`);
    if (card) card.classList.add('sel');
    const target = from === 'doc' ? card : document.querySelector(`#doc [data-d~="${i}"]`) || document.querySelector(`#glance [data-d~="${i}"]`);
    if (target) {
      reveal(target);
      target.classList.remove('flash'); void target.offsetWidth; target.classList.add('flash');
    }
  }

  // Scrolls the pane that holds `e` (the text or the findings) so `e` is in its middle; the
  // tables as read are below the panes, so for them the window scrolls.
  function reveal(e) {
    const pane = e.closest('#doc, #findings');
    if (!pane || pane.scrollHeight <= pane.clientHeight) { e.scrollIntoView({ block: 'center' }); return; }
    const r = e.getBoundingClientRect(), p = pane.getBoundingClientRect();
    pane.scrollTop += r.top - p.top - pane.clientHeight / 2 + r.height / 2;
  }

  function copyAll() {
    const lines = [];
    for (const f of st.files) {
      lines.push(`${f.path}（${t('error')} ${f.counts.errors}，${t('warning')} ${f.counts.warnings}，${t('note')} ${f.counts.notes}）`);
      f.diagnostics.filter((d) => st.show[d.severity]).forEach((d, k) => {
        const n = notes(d);
        lines.push(`${k + 1}. [${t('one')[d.severity]}] ${where(d)}：${d.message}`);
        n.calc.forEach((c) => lines.push(`   ${c}`));
        if (d.help) lines.push(`   ${t('fix')}${d.help}`);
        n.basis.forEach((b) => lines.push(`   ${t('basis')}${b}`));
      });
      lines.push('');
    }
    const text = lines.join('\n');
    const done = () => { $('copy').textContent = t('copied'); setTimeout(() => { $('copy').textContent = t('copy'); }, 1500); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, () => fallback(text, done));
    else fallback(text, done);
  }
  function fallback(text, done) {
    const ta = document.createElement('textarea');
    ta.value = text; document.body.appendChild(ta); ta.select();
    try { document.execCommand('copy'); done(); } catch (e) { /* nothing to copy with */ }
    ta.remove();
  }

  // ---- the page: checking inside the browser ----
  let wasm = null; // a promise of the module's exports, made once
  async function instance() {
    const b64 = $('nblint-wasm').textContent.trim();
    const gz = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bin = await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
    // The module needs nothing from the page. Imports that dependencies declare for code the
    // checker never runs (random numbers for writing encrypted files) get stubs that throw.
    const mod = await WebAssembly.compile(bin), imports = {};
    for (const i of WebAssembly.Module.imports(mod)) {
      imports[i.module] = imports[i.module] || {};
      if (i.kind === 'function') imports[i.module][i.name] = () => { throw new Error(`unsupported: ${i.name}`); };
    }
    const ex = (await WebAssembly.instantiate(mod, imports)).exports;
    ex.nb_init();
    return ex;
  }
  function today() { const d = new Date(); return d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate(); }
  function lintOne(ex, bytes, name) {
    const nb = new TextEncoder().encode(name);
    const p = ex.nb_alloc(bytes.length), q = ex.nb_alloc(nb.length);
    new Uint8Array(ex.memory.buffer, p, bytes.length).set(bytes);
    new Uint8Array(ex.memory.buffer, q, nb.length).set(nb);
    const r = ex.nb_lint(p, bytes.length, q, nb.length, today(), st.lang === 'en' ? 1 : 0);
    return JSON.parse(new TextDecoder().decode(new Uint8Array(ex.memory.buffer, r, ex.nb_result_len())));
  }
  async function check(raw, quiet) {
    const t0 = performance.now(), out = [];
    for (const { name, bytes } of raw) {
      if (!quiet) $('status').textContent = `${t('checking')} ${name} …`;
      try {
        wasm = wasm || instance();
        out.push(lintOne(await wasm, bytes, name));
      } catch (e) {
        wasm = null; // a trap leaves the instance unusable: start a fresh one
        out.push({ path: name, readable: false, counts: { errors: 1, warnings: 0, notes: 0 }, text: '', blocks: [], tables: [],
          diagnostics: [{ code: 'NB000', name: 'internal-error', severity: 'error', message: `${t('failed')}：${e}`, notes: [], labels_at: [], at: [0, 0], line: 1 }] });
      }
    }
    const ms = Math.round(performance.now() - t0);
    return { out, ms };
  }
  async function open(fileList) {
    const raw = [], files = [...fileList]; // copied now: the list empties once the event is over
    for (const file of files) raw.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    raw.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const { out, ms } = await check(raw);
    st.raw = st.raw.concat(raw);
    const first = st.files.length;
    addFiles(out);
    st.cur = Math.min(first, st.files.length - 1);
    st.sel = -1;
    st.lastMs = ms;
    st.lastN = raw.length;
    render();
    document.body.dataset.checked = String(st.files.length);
  }

  // ---- events ----
  document.addEventListener('click', (e) => {
    const card = e.target.closest('[data-file]');
    if (card) { st.cur = +card.dataset.file; st.sel = -1; render(); return; }
    const fd = e.target.closest('.finding');
    if (fd) { select(+fd.dataset.f, 'list'); return; }
    const m = e.target.closest('[data-d]');
    if (m && (m.closest('#doc') || m.closest('#glance'))) select(+m.dataset.d.split(' ')[0], 'doc');
  });
  document.querySelectorAll('[data-sev]').forEach((c) => c.addEventListener('change', () => { st.show[c.dataset.sev] = c.checked; render(); }));
  $('copy').addEventListener('click', copyAll);
  $('print').addEventListener('click', () => window.print());
  $('lang').addEventListener('click', async () => {
    st.lang = st.lang === 'zh' ? 'en' : 'zh';
    if (PAGE && st.raw.length) { // messages come from the checker: check again
      const cur = st.cur;
      st.files = [];
      addFiles((await check(st.raw, true)).out);
      st.cur = cur;
    }
    render();
  });
  // Files can be dropped anywhere on the page (in a report there is nothing to check them with).
  const drop = $('drop');
  document.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  document.addEventListener('dragleave', (e) => { if (!e.relatedTarget) drop.classList.remove('over'); });
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (PAGE && e.dataTransfer.files.length) open(e.dataTransfer.files);
  });
  $('pick').addEventListener('change', (e) => { open(e.target.files); e.target.value = ''; });

  addFiles(JSON.parse($('nblint-data').textContent));
  render();
  if (PAGE) { // load the checker before the first file comes
    wasm = instance();
    wasm.catch((e) => { wasm = null; $('status').textContent = `${t('failed')}：${e}`; });
  }
  // For tests and measurements (tests/browser/check.mjs).
  window.nblint = { state: st, open, recheck: async (raw) => (await check(raw, true)).out };
})();
