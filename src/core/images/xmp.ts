/**
 * The XMP packet we write (JPEG APP1) and a small, bounded reader for the two properties we care
 * about, in our packets and in those written by others.
 *
 * The AIGC property: the TC260 practice guide for GB 45438-2025 (TC260-PG-20258A, published on
 * tc260.org.cn with the standard) stores the label JSON as the XMP property `AIGC` in the
 * namespace `http://www.tc260.org.cn/ns/AIGC/1.0/`, prefix `TC260`. Confirmed from the guide's
 * example as quoted by several independent public implementations (we could not read the guide
 * itself); the reader also accepts the URI without its trailing slash and any prefix.
 */
import type { AigcLabel } from './record';
import { toEmbeddableJson } from './aigc-label';

export const TC260_NAMESPACE = 'http://www.tc260.org.cn/ns/AIGC/1.0/';
/** Our own namespace for the generation record (a URN: we own no domain to mint an http URI from). */
export const STUDIO_NAMESPACE = 'urn:aigc-image-studio:xmp:1.0#';
export const STUDIO_RECORD_PROPERTY = 'GenerationRecord';

/** Escapes text for XML element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, entity: string) => {
    switch (entity) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    const code = entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * A complete XMP packet with our record and, when given, the AIGC label. Both values are JSON
 * strings as element content, XML-escaped.
 */
export function buildXmpPacket(recordJson: string, label?: AigcLabel): string {
  const labelElement = label ? `\n   <TC260:AIGC>${escapeXml(toEmbeddableJson(label))}</TC260:AIGC>` : '';
  return (
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n' +
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n' +
    `  <rdf:Description rdf:about="" xmlns:TC260="${TC260_NAMESPACE}" xmlns:studio="${STUDIO_NAMESPACE}">` +
    labelElement +
    `\n   <studio:${STUDIO_RECORD_PROPERTY}>${escapeXml(recordJson)}</studio:${STUDIO_RECORD_PROPERTY}>\n` +
    '  </rdf:Description>\n' +
    ' </rdf:RDF>\n' +
    '</x:xmpmeta>\n' +
    '<?xpacket end="w"?>'
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The text value of property `name` in any namespace whose URI equals one of `namespaceUris`,
 * as element content (plain or CDATA) or as an attribute. Undefined when absent.
 */
export function readXmpProperty(xml: string, namespaceUris: readonly string[], name: string): string | undefined {
  const declarations = /xmlns:([A-Za-z_][\w.-]*)\s*=\s*(["'])(.*?)\2/g;
  for (const [, prefix, , uri] of xml.matchAll(declarations)) {
    if (!namespaceUris.includes(uri)) continue;
    const qualified = escapeRegExp(`${prefix}:${name}`);
    const element = new RegExp(`<${qualified}(?:\\s[^>]*)?>(<!\\[CDATA\\[[\\s\\S]*?\\]\\]>|[^<]*)</${qualified}>`).exec(xml);
    if (element) {
      const content = element[1];
      return content.startsWith('<![CDATA[') ? content.slice(9, -3) : unescapeXml(content);
    }
    const attribute = new RegExp(`\\s${qualified}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(xml);
    if (attribute) return unescapeXml(attribute[1] ?? attribute[2]);
  }
  return undefined;
}

export const AIGC_NAMESPACES = [TC260_NAMESPACE, TC260_NAMESPACE.slice(0, -1)] as const;

export function readXmpAigc(xml: string): string | undefined {
  return readXmpProperty(xml, AIGC_NAMESPACES, 'AIGC');
}

export function readXmpRecord(xml: string): string | undefined {
  return readXmpProperty(xml, [STUDIO_NAMESPACE], STUDIO_RECORD_PROPERTY);
}
