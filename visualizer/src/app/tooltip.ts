/** One floating tooltip for the page; charts pass HTML they built from escaped values. */
export class Tooltip {
  private readonly el: HTMLDivElement;

  constructor(parent: HTMLElement) {
    this.el = document.createElement('div');
    this.el.className = 'tooltip';
    this.el.setAttribute('role', 'tooltip');
    parent.appendChild(this.el);
  }

  show(html: string, clientX: number, clientY: number): void {
    this.el.innerHTML = html;
    this.el.style.display = 'block';
    const r = this.el.getBoundingClientRect();
    // Keep it on screen: flip left/up near the right/bottom edge.
    const x = clientX + 14 + r.width > window.innerWidth ? clientX - r.width - 14 : clientX + 14;
    const y = clientY + 14 + r.height > window.innerHeight ? clientY - r.height - 10 : clientY + 14;
    this.el.style.transform = `translate(${Math.max(4, x)}px, ${Math.max(4, y)}px)`;
  }

  hide(): void {
    this.el.style.display = 'none';
  }
}
