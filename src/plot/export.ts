/**
 * Figure export: every chart downloads as SVG and PNG with a caption saying
 * what it shows (tensor, formats, options). A figure is a DOM subtree; its
 * parts are the elements marked `data-export` (SVG charts, heatmap canvases
 * and HTML headings), placed where they are on screen. Canvases are embedded
 * as pixelated images at data resolution; an HTML part becomes SVG text (its
 * text wrapped to its width, bold when its font is).
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Splits a caption into lines of at most `maxChars` characters, at spaces. */
export function wrapCaption(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let cur = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (cur && cur.length + 1 + word.length > maxChars) { lines.push(cur); cur = word; } else cur = cur ? `${cur} ${word}` : word;
    }
    lines.push(cur);
  }
  return lines;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

interface Part { el: Element; x: number; y: number; w: number; h: number }

function partsOf(root: Element): Part[] {
  const rootBox = root.getBoundingClientRect();
  const all = Array.from(root.querySelectorAll('[data-export]'));
  const top = all.filter((el) => !all.some((o) => o !== el && o.contains(el)));
  const parts: Part[] = [];
  let stackY = 0;
  for (const el of top) {
    const b = el.getBoundingClientRect();
    let w = b.width, h = b.height, x = b.left - rootBox.left, y = b.top - rootBox.top;
    if (!w || !h) { // not laid out (tests, hidden): use intrinsic size and stack
      w = Number(el.getAttribute('width')) || (el as HTMLCanvasElement).width || 0;
      h = Number(el.getAttribute('height')) || (el as HTMLCanvasElement).height || 0;
      x = 0; y = stackY; stackY += h;
    }
    if (w > 0 && h > 0) parts.push({ el, x, y, w, h });
  }
  return parts;
}

/**
 * One standalone SVG document of the figure under `root` with the caption
 * below it. Returns the markup and its size in px.
 */
export function composeFigureSvg(root: Element, caption: string): { svg: string; width: number; height: number } {
  const parts = partsOf(root);
  const width = Math.max(320, ...parts.map((p) => p.x + p.w));
  const bodyH = Math.max(0, ...parts.map((p) => p.y + p.h));
  const lines = wrapCaption(caption, Math.max(40, Math.floor(width / 6.5)));
  const height = Math.ceil(bodyH + 12 + lines.length * 16);
  const body = parts.map((p) => {
    const tag = p.el.tagName.toLowerCase();
    if (tag !== 'canvas' && tag !== 'svg') return htmlTextPart(p);
    if (tag === 'canvas') {
      let href = '';
      try { href = (p.el as HTMLCanvasElement).toDataURL('image/png'); } catch { href = ''; }
      if (!href || href === 'data:,') return '';
      return `<image x="${p.x}" y="${p.y}" width="${p.w}" height="${p.h}" preserveAspectRatio="none" style="image-rendering:pixelated" href="${href}"/>`;
    }
    const clone = p.el.cloneNode(true) as Element;
    clone.setAttribute('x', String(p.x));
    clone.setAttribute('y', String(p.y));
    clone.setAttribute('width', String(p.w));
    clone.setAttribute('height', String(p.h));
    clone.removeAttribute('style');
    clone.removeAttribute('data-export');
    return new XMLSerializer().serializeToString(clone);
  }).join('\n');
  const text = lines.map((l, i) => `<tspan x="8" dy="${i ? 16 : 0}">${escapeXml(l)}</tspan>`).join('');
  const svg = `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" color="#111">
<rect width="100%" height="100%" fill="#fff"/>
${body}
<text y="${bodyH + 20}" font-size="12" fill="#111">${text}</text>
</svg>`;
  return { svg, width, height };
}

/** An HTML part (e.g. a panel's heading) as SVG text in its box: wrapped to its width, its font size and weight. */
function htmlTextPart(p: Part): string {
  const style = typeof getComputedStyle === 'function' ? getComputedStyle(p.el) : null;
  const size = parseFloat(style?.fontSize ?? '') || 13;
  const weight = style?.fontWeight ?? '';
  const bold = weight === 'bold' || Number(weight) >= 600 || /^h[1-6]$/i.test(p.el.tagName);
  const lines = wrapCaption((p.el.textContent ?? '').trim(), Math.max(10, Math.floor(p.w / (size * 0.55))));
  const spans = lines.map((l, i) => `<tspan x="${p.x}" dy="${i ? Math.round(size * 1.25) : 0}">${escapeXml(l)}</tspan>`).join('');
  return `<text x="${p.x}" y="${p.y + size}" font-size="${size}"${bold ? ' font-weight="bold"' : ''} fill="#111">${spans}</text>`;
}

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadText(text: string, filename: string, mime = 'text/plain'): void {
  downloadBlob(new Blob([text], { type: `${mime};charset=utf-8` }), filename);
}

export function downloadSvg(root: Element, filename: string, caption: string): void {
  downloadText(composeFigureSvg(root, caption).svg, filename, 'image/svg+xml');
}

/** Rasterizes the composed SVG at `scale`× (default 2 for sharp text) and downloads a PNG. */
export async function downloadPng(root: Element, filename: string, caption: string, scale = 2): Promise<void> {
  const { svg, width, height } = composeFigureSvg(root, caption);
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('could not render the figure to PNG'));
      img.src = url;
    });
    const c = document.createElement('canvas');
    c.width = Math.round(width * scale);
    c.height = Math.round(height * scale);
    const ctx = c.getContext('2d');
    if (!ctx) throw new Error('PNG export needs a 2-D canvas');
    ctx.imageSmoothingEnabled = false;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    const blob = await new Promise<Blob | null>((res) => c.toBlob(res, 'image/png'));
    if (!blob) throw new Error('PNG export failed');
    downloadBlob(blob, filename);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A file-name-safe slug of a caption's start, e.g. "activation-int8-fp8". */
export function slug(text: string, max = 60): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, max) || 'figure';
}
