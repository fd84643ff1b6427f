import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** The room a list is assumed to have until the layout says (a typical popup's). */
const FIRST_GUESS = 300;

/**
 * A list of fixed-height rows of which only those in view (and a few around) are in the DOM, so
 * 50,000 people scroll as smoothly as 50. It asks for `height` at most; the page's layout may
 * give it less (the popup's list takes the room left), and it draws what fits in what it got.
 */
export function VirtualList<T>({
  items,
  rowHeight,
  height,
  label,
  render,
  keyOf,
}: {
  items: readonly T[];
  rowHeight: number;
  height: number;
  label: string;
  render: (item: T, index: number) => ComponentChildren;
  keyOf: (item: T) => string;
}) {
  const [top, setTop] = useState(0);
  // Rows drawn beyond the first guess would cost the first render for nothing: the layout's
  // answer comes before the paint.
  const [viewport, setViewport] = useState(Math.min(height, FIRST_GUESS));
  const box = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    // Told when the layout changes the list's height, never on scroll.
    const observer = new ResizeObserver(() => setViewport(element.clientHeight || height));
    observer.observe(element);
    return () => observer.disconnect();
  }, [height]);
  const overscan = 6;
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((top + viewport) / rowHeight) + overscan);
  const shown = items.slice(first, last);
  return (
    <div
      ref={box}
      class="virtual"
      style={{ height: `${Math.min(height, items.length * rowHeight)}px` }}
      onScroll={(e) => setTop((e.currentTarget as HTMLElement).scrollTop)}
    >
      <ol
        class="list"
        aria-label={label}
        style={{ height: `${items.length * rowHeight}px`, position: 'relative' }}
      >
        {shown.map((item, i) => (
          <li
            key={keyOf(item)}
            class="slot"
            aria-setsize={items.length}
            aria-posinset={first + i + 1}
            style={{
              position: 'absolute',
              top: `${(first + i) * rowHeight}px`,
              height: `${rowHeight}px`,
              left: 0,
              right: 0,
            }}
          >
            {render(item, first + i)}
          </li>
        ))}
      </ol>
    </div>
  );
}
