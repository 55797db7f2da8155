/** Presentation properties the diagram takes from the theme's classes; a file opened elsewhere has no stylesheet. */
const INLINED = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-decoration'] as const;

/**
 * The diagram as a standalone SVG file, as it looks now (light or dark): each element's computed colours and type
 * written as attributes, the page's classes, handlers' roles and test ids dropped. Only what is on screen is saved,
 * and the screen shows the server-redacted exchanges.
 */
export function serializeDiagramSvg(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const live = [svg, ...svg.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  live.forEach((element, i) => {
    const copy = copies[i];
    if (!copy) return;
    const style = getComputedStyle(element);
    for (const property of INLINED) {
      const value = style.getPropertyValue(property);
      if (value && value !== 'none' && !(property === 'opacity' && value === '1')) copy.setAttribute(property, value);
      else if (property === 'fill' && value === 'none') copy.setAttribute('fill', 'none');
    }
    for (const name of [...copy.getAttributeNames()]) {
      if (name === 'class' || name === 'tabindex' || name === 'role' || name.startsWith('data-') || name.startsWith('aria-')) copy.removeAttribute(name);
    }
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
}
