// Mouse, wheel and keyboard on the map canvas: pan (drag, wheel), zoom (ctrl+wheel, + and -),
// hover, click, the minimap, and the keyboard focus cell. Only changes the viewport or reports
// granule indices; what a click means is the app's business (MapCanvasEvents).
import { hexPa } from '../../protocol/granule-map';
import { clampScroll, hitTest, minimap, minimapJump, onMinimap, panBy } from '../model/layout';
import type { MapModel } from '../model/map-model';
import { moveFocus } from '../model/navigation';
import type { MapCanvas, MapCanvasEvents } from './map-canvas';

export function attachMapInput(map: MapCanvas, model: MapModel, events: MapCanvasEvents): void {
  const c = map.canvas;
  let drag: { x: number; y: number; sx: number; sy: number; moved: boolean; id: number } | undefined;
  let miniDrag: number | undefined;
  const jump = (e: PointerEvent) => {
    const m = minimap(map.view);
    if (!m) return;
    const at = local(e);
    map.keepInView = -1; // the user moves the map: stop holding a granule in view
    map.view = minimapJump(map.view, m, Math.min(m.x + m.w, Math.max(m.x, at.x)), Math.min(m.y + m.h, Math.max(m.y, at.y)));
    map.schedule();
    events.viewChanged();
  };
  const local = (e: MouseEvent) => { const b = c.getBoundingClientRect(); return { x: e.clientX - b.left, y: e.clientY - b.top }; };

  c.addEventListener('wheel', (e) => {
    e.preventDefault();
    const at = local(e);
    if (e.ctrlKey || e.metaKey) { map.zoom(e.deltaY < 0 ? 1 : -1, at.x, at.y); return; }
    const scale = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? map.view.height : 1;
    const dx = (e.shiftKey ? e.deltaY : e.deltaX) * scale, dy = (e.shiftKey ? 0 : e.deltaY) * scale;
    map.keepInView = -1; // the user moves the map: stop holding a granule in view
    map.view = panBy(map.view, dx, dy);
    map.schedule();
    events.viewChanged();
    events.leave();
  }, { passive: false });

  c.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    const at = local(e);
    if (onMinimap(minimap(map.view), at.x, at.y)) {
      miniDrag = e.pointerId;
      c.setPointerCapture(e.pointerId);
      jump(e);
      return;
    }
    drag = { x: e.clientX, y: e.clientY, sx: map.view.scrollX, sy: map.view.scrollY, moved: false, id: e.pointerId };
    c.setPointerCapture(e.pointerId);
  });
  c.addEventListener('pointermove', (e) => {
    if (miniDrag === e.pointerId) { jump(e); return; }
    if (drag && drag.id === e.pointerId) {
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; c.classList.add('panning'); events.leave(); }
      if (drag.moved) {
        map.keepInView = -1; // the user moves the map: stop holding a granule in view
        map.view = clampScroll({ ...map.view, scrollX: drag.sx - dx, scrollY: drag.sy - dy });
        map.schedule();
        events.viewChanged();
        return;
      }
    }
    const at = local(e);
    const index = onMinimap(minimap(map.view), at.x, at.y) ? -1 : hitTest(map.view, at.x, at.y);
    if (index >= 0) events.hover(index, e.clientX, e.clientY);
    else events.leave();
  });
  const end = (e: PointerEvent, click: boolean) => {
    if (miniDrag === e.pointerId) { miniDrag = undefined; return; }
    if (!drag || drag.id !== e.pointerId) return;
    const wasClick = click && !drag.moved;
    drag = undefined;
    c.classList.remove('panning');
    if (!wasClick) return;
    const at = local(e);
    const index = hitTest(map.view, at.x, at.y);
    if (index >= 0) { map.focusCell(index); events.activate(index); }
  };
  c.addEventListener('pointerup', (e) => end(e, true));
  c.addEventListener('pointercancel', (e) => end(e, false));
  c.addEventListener('pointerleave', () => { if (!drag) events.leave(); });
  c.addEventListener('focus', () => { if (map.focus < 0 && model.count) map.focus = Math.max(0, map.firstVisible()); map.schedule(); events.focusMoved(map.focus); });
  c.addEventListener('blur', () => map.schedule());
  // VS Code reads data-vscode-context when its context menu opens: commands contributed to
  // `webview/context` with `webviewSection == 'granule'` then get the granule under the pointer.
  c.addEventListener('contextmenu', (e) => {
    const at = local(e);
    const index = hitTest(map.view, at.x, at.y);
    const pa = model.pa(index);
    c.dataset.vscodeContext = JSON.stringify(pa === undefined ? {} : { webviewSection: 'granule', granuleIndex: index, granulePa: hexPa(pa) });
  }, true);

  c.addEventListener('keydown', (e) => {
    if (e.key === '+' || e.key === '=') { e.preventDefault(); map.zoom(1); return; }
    if (e.key === '-' || e.key === '_') { e.preventDefault(); map.zoom(-1); return; }
    if ((e.key === 'Enter' || e.key === ' ') && map.focus >= 0) { e.preventDefault(); events.activate(map.focus); return; }
    const pageRows = Math.max(1, Math.floor(map.view.height / map.view.cell) - 1);
    const next = moveFocus(map.focus, e, model.count, pageRows);
    if (next === undefined) return;
    e.preventDefault();
    map.focusCell(next);
  });
}
