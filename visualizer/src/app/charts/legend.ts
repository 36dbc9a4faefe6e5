/**
 * Legend entries that toggle their series: a click adds or removes the key from the shared
 * `hidden` set and asks the owner to redraw. Buttons, so keyboard users can toggle too.
 */
export interface LegendItem {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly dash?: string | undefined;
}

export class Legend {
  private readonly el: HTMLDivElement;

  constructor(
    parent: HTMLElement,
    items: readonly LegendItem[],
    private readonly hidden: Set<string>,
    private readonly onChange: () => void,
  ) {
    this.el = document.createElement('div');
    this.el.className = 'legend';
    for (const item of items) this.el.appendChild(this.button(item));
    parent.appendChild(this.el);
  }

  private button(item: LegendItem): HTMLButtonElement {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'legend-item';
    b.dataset.key = item.key;
    const swatch = document.createElement('i');
    swatch.className = item.dash ? 'swatch dashed' : 'swatch';
    swatch.style.setProperty('--c', item.color);
    b.append(swatch, document.createTextNode(item.label));
    const sync = () => {
      const off = this.hidden.has(item.key);
      b.classList.toggle('off', off);
      b.setAttribute('aria-pressed', String(!off));
      b.title = off ? `show ${item.label}` : `hide ${item.label}`;
    };
    b.addEventListener('click', () => {
      if (this.hidden.has(item.key)) this.hidden.delete(item.key);
      else this.hidden.add(item.key);
      sync();
      this.onChange();
    });
    sync();
    return b;
  }
}
