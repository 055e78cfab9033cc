// Inline style properties set through the CSSOM (element.style), from the first render on. Lit's
// styleMap writes its first value as a `style` attribute, which a Content-Security-Policy whose
// style-src lacks 'unsafe-inline' drops (test/e2e/csp.spec.ts); the CSSOM is always allowed.
import { noChange } from 'lit';
import { Directive, directive, type ElementPart, type PartInfo, PartType } from 'lit/directive.js';

class CssProps extends Directive {
  private names = new Set<string>();

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('cssProps() goes on an element, not in an attribute or text');
  }

  render(_props: Readonly<Record<string, string>>): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [props]: [Readonly<Record<string, string>>]): typeof noChange {
    const style = (part.element as HTMLElement).style;
    for (const name of this.names) if (!(name in props)) style.removeProperty(name);
    this.names = new Set(Object.keys(props));
    for (const [name, value] of Object.entries(props)) style.setProperty(name, value);
    return noChange;
  }
}

/** `<div ${cssProps({ width: '40%', '--c': color })}>`: CSS properties (custom ones too) set by script. */
export const cssProps = directive(CssProps);
