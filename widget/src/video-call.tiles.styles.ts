/**
 * The participants' tiles of `<video-call>`: the grid that lays out 1 to 5 of them in the stage
 * (columns while the stage is wide, rows while it is tall), each tile a size container for its
 * labels, the ring around whoever speaks, and a smaller self-view over several tiles. The
 * element's styles (video-call.attributes.ts) put this sheet right after video-call.styles.ts.
 */
import { css } from 'lit';

export const tilesStyles = css`
  /*
   * The participants' tiles: one fills the stage; more share it in a grid, in columns while the
   * stage is wide and in rows while it is tall (the stage is a size container).
   */
  .tiles {
    position: absolute;
    inset: 0;
    display: grid;
    gap: 4px;
    grid-template-columns: minmax(0, 1fr);
    grid-auto-rows: minmax(0, 1fr);
  }
  .tiles-2 .tiles,
  .tiles-3 .tiles,
  .tiles-4 .tiles {
    grid-template-columns: repeat(2, minmax(0, 1fr));
  }
  .tiles-3 .tile:last-child {
    grid-column: 1 / -1;
  }
  .tiles-5 .tiles {
    grid-template-columns: repeat(3, minmax(0, 1fr));
  }
  @container stage (orientation: portrait) {
    .tiles-2 .tiles,
    .tiles-3 .tiles {
      grid-template-columns: minmax(0, 1fr);
    }
    .tiles-3 .tile:last-child {
      grid-column: auto;
    }
    .tiles-5 .tiles {
      grid-template-columns: repeat(2, minmax(0, 1fr));
    }
  }
  .tile {
    position: relative;
    min-width: 0;
    min-height: 0;
    /* A plain rectangle: its video, avatar and ring round their own corners (no rounded clip
       over a playing video, see video-call.styles.ts); no background of its own, the stage's
       shows through. */
    overflow: hidden;
    /* Its labels and avatar size themselves from the tile. */
    container: tile / size;
  }
  /* Who speaks: a ring inside their tile (3:1 against the dark stage and most pictures). */
  .tile[part~='speaking']::after {
    content: '';
    position: absolute;
    inset: 0;
    border: 3px solid var(--video-call-speaking-color, #22c55e);
    border-radius: var(--_tile-radius);
    pointer-events: none;
  }
  .tiles-2 .tile,
  .tiles-3 .tile,
  .tiles-4 .tile,
  .tiles-5 .tile {
    --_tile-radius: 6px;
  }
  /* Several tiles: a smaller self-view covers less of them. */
  .tiles-3 .local,
  .tiles-4 .local,
  .tiles-5 .local {
    width: calc(var(--video-call-local-width, 28%) * 0.75);
  }
  /* A ringing leg's tile, laid out ahead (its connection is up) while no tile shows: revealed
     when it is accepted. Once tiles show, the others wait out of the grid. */
  .tiles.pending,
  .tile.pending {
    visibility: hidden;
  }
  .tiles:not(.pending) > .tile.pending {
    display: none;
  }
  /* Its own background: beside a shared screen the tile shows the screen through. */
  .tile-waiting {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    padding: 8px;
    text-align: center;
    background: var(--_stage-bg);
    border-radius: var(--_tile-radius);
  }
`;
