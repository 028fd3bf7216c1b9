import { SaxesParser, type SaxesTagNS } from 'saxes'

/**
 * A strict allow-list sanitiser for logo SVGs, with no DOM: the file is parsed by saxes (a strict,
 * namespace-aware XML parser that never fetches or expands anything) and written out again from
 * what is allowed only. Kept: drawing elements of the SVG namespace (shapes, paths, text,
 * gradients, clip paths, masks, patterns, `use`) with presentation attributes. Removed: every
 * other element with its content (script, style, foreignObject, image, a, animations, filters,
 * elements of other namespaces), comments, processing instructions, event handlers and any other
 * attribute not listed, references that do not start with `#`, and `url(…)` values other than
 * `url(#id)`. Refused outright: anything that is not well-formed XML, a DOCTYPE with declarations
 * (entities), a root
 * other than `<svg>`, and documents nested or sized beyond sense.
 *
 * The logo is also served under a CSP with `sandbox` and shown only through `<img>` (which runs
 * no script and loads nothing): this is the second wall, not the only one.
 */

const SVG_NS = 'http://www.w3.org/2000/svg'
const XLINK_NS = 'http://www.w3.org/1999/xlink'
const XML_NS = 'http://www.w3.org/XML/1998/namespace'
const MAX_DEPTH = 64
const MAX_ELEMENTS = 10_000

const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'symbol',
  'use',
  'title',
  'desc',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
  'pattern',
])
/** Elements whose character data is kept. */
const TEXT_ELEMENTS = new Set(['title', 'desc', 'text', 'tspan'])

/** Presentation properties: allowed as attributes and inside `style`. */
const PRESENTATION = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-opacity',
  'opacity',
  'clip-path',
  'clip-rule',
  'mask',
  'stop-color',
  'stop-opacity',
  'color',
  'display',
  'visibility',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'letter-spacing',
  'word-spacing',
  'paint-order',
  'vector-effect',
  'shape-rendering',
]
const ATTRIBUTES = new Set([
  ...PRESENTATION,
  'id',
  'class',
  'version',
  'viewBox',
  'preserveAspectRatio',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'fr',
  'd',
  'points',
  'pathLength',
  'transform',
  'offset',
  'gradientUnits',
  'gradientTransform',
  'spreadMethod',
  'patternUnits',
  'patternContentUnits',
  'patternTransform',
  'clipPathUnits',
  'maskUnits',
  'maskContentUnits',
  'dx',
  'dy',
  'rotate',
  'textLength',
  'lengthAdjust',
  'role',
  'aria-label',
  'aria-hidden',
  'style',
])
const STYLE_PROPERTIES = new Set(PRESENTATION)

export type SvgSanitiseResult = { ok: true; svg: string; removed: string[] } | { ok: false; reason: string }

const escapeText = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const escapeAttribute = (value: string) => escapeText(value).replace(/"/g, '&quot;')

/** A value is safe when every `url(…)` in it points into the document (`url(#id)`), and it has no escapes or at-rules. */
function safeValue(value: string): boolean {
  if (/[\\@<>]/.test(value) || /expression\s*\(/i.test(value) || /javascript:/i.test(value)) return false
  const urls = value.match(/url\s*\(([^)]*)\)?/gi) ?? []
  return urls.every((url) => /^url\(\s*(['"]?)#[A-Za-z_][\w.-]*\1\s*\)$/i.test(url))
}

/** The declarations of a `style` attribute that name a presentation property with a safe value; null when none are left. */
function cleanStyle(style: string, removed: Set<string>): string | null {
  const kept: string[] = []
  for (const declaration of style.split(';')) {
    if (declaration.trim() === '') continue
    const colon = declaration.indexOf(':')
    const property = colon === -1 ? '' : declaration.slice(0, colon).trim().toLowerCase()
    const value = colon === -1 ? '' : declaration.slice(colon + 1).trim()
    if (STYLE_PROPERTIES.has(property) && safeValue(value)) kept.push(`${property}:${value}`)
    else removed.add(`style declaration ${property || declaration.trim().slice(0, 40)}`)
  }
  return kept.length > 0 ? kept.join(';') : null
}

/** The attributes of an allowed element worth keeping, serialised (with a leading space each). */
function cleanAttributes(tag: SaxesTagNS, removed: Set<string>): string {
  let out = ''
  for (const attribute of Object.values(tag.attributes)) {
    const { local, uri, value, name } = attribute
    if (uri === 'http://www.w3.org/2000/xmlns/' || name === 'xmlns' || name.startsWith('xmlns:')) continue
    if (local === 'href' && (uri === '' || uri === XLINK_NS)) {
      const target = value.trim()
      if (tag.local === 'use' && /^#[A-Za-z_][\w.-]*$/.test(target)) out += ` href="${escapeAttribute(target)}"`
      else removed.add(target.startsWith('#') ? `${name} on <${tag.local}>` : `${name} to an external resource`)
      continue
    }
    if (uri === XML_NS && local === 'space') {
      out += ` xml:space="${value === 'preserve' ? 'preserve' : 'default'}"`
      continue
    }
    if (uri !== '' || !ATTRIBUTES.has(local)) {
      removed.add(/^on/i.test(local) ? `event handler ${name}` : `attribute ${name}`)
      continue
    }
    if (local === 'style') {
      const style = cleanStyle(value, removed)
      if (style !== null) out += ` style="${escapeAttribute(style)}"`
      continue
    }
    if (!safeValue(value)) {
      removed.add(`attribute ${name} (a reference outside the logo)`)
      continue
    }
    out += ` ${local}="${escapeAttribute(value)}"`
  }
  return out
}

/** Sanitises an uploaded SVG: the cleaned document and what was removed, or why it is refused. */
export function sanitiseSvg(input: string): SvgSanitiseResult {
  const parser = new SaxesParser({ xmlns: true, position: false })
  const removed = new Set<string>()
  const out: string[] = []
  /** Per open element: whether it is written out (false: it and everything in it is dropped). */
  const open: boolean[] = []
  const names: string[] = []
  let refused: string | null = null
  let elements = 0
  let sawRoot = false
  const keeping = () => open.length > 0 && open.every(Boolean)

  // A plain DOCTYPE (as drawing programs write) is dropped; one with an internal subset (entities) is refused.
  parser.on('doctype', (doctype) => {
    if (doctype.includes('[')) refused ??= 'a DOCTYPE with declarations is not allowed (no entities)'
    else removed.add('DOCTYPE')
  })
  parser.on('processinginstruction', (pi) => removed.add(`processing instruction ${pi.target}`))
  parser.on('comment', () => undefined)
  parser.on('opentag', (tag) => {
    elements++
    if (elements > MAX_ELEMENTS) refused ??= `more than ${MAX_ELEMENTS} elements`
    if (open.length >= MAX_DEPTH) refused ??= `nested deeper than ${MAX_DEPTH} elements`
    if (!sawRoot) {
      sawRoot = true
      if (tag.local !== 'svg' || tag.uri !== SVG_NS) refused ??= 'the root element is not <svg> in the SVG namespace'
    }
    const allowed = tag.uri === SVG_NS && ELEMENTS.has(tag.local)
    if (!allowed && keeping()) removed.add(`element <${tag.name}>`)
    const keep = allowed && (open.length === 0 || keeping())
    open.push(keep)
    names.push(tag.local)
    if (!keep) return
    const namespace = open.length === 1 ? ` xmlns="${SVG_NS}"` : ''
    out.push(`<${tag.local}${namespace}${cleanAttributes(tag, removed)}>`)
  })
  parser.on('closetag', (tag) => {
    const keep = keeping()
    open.pop()
    names.pop()
    if (keep) out.push(`</${tag.local}>`)
  })
  const onText = (text: string, kind: string) => {
    if (!keeping()) return
    if (TEXT_ELEMENTS.has(names.at(-1) ?? '')) out.push(escapeText(text))
    else if (text.trim() !== '') removed.add(kind)
  }
  parser.on('text', (text) => onText(text, 'text outside a text element'))
  parser.on('cdata', (text) => onText(text, 'CDATA outside a text element'))
  try {
    parser.write(input).close()
  } catch (error) {
    return { ok: false, reason: `not well-formed XML: ${(error as Error).message.split('\n')[0]}` }
  }
  if (refused) return { ok: false, reason: refused }
  if (!sawRoot) return { ok: false, reason: 'no <svg> element' }
  return { ok: true, svg: `${out.join('')}\n`, removed: [...removed].sort() }
}
