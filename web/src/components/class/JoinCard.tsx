// The join link and its QR code, to put on the projector.
import { CopyButton } from '../ui.js';

export function JoinCard({ joinUrl, qrSvg }: { joinUrl: string; qrSvg: string }) {
  return (
    <div className="class-join">
      <img
        className="class-qr"
        src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrSvg)}`}
        alt="QR code of the join link"
        data-testid="class-qr"
      />
      <div className="class-join-text">
        <p>Students open this link on the same network (Wi-Fi or LAN), or scan the code with a phone:</p>
        <p>
          <a href={joinUrl} className="class-join-url" data-testid="class-join-url">
            {joinUrl}
          </a>
        </p>
        <CopyButton text={joinUrl} />
        <p className="hint">
          Their browser becomes a node of the class: it downloads and checks the class's chain, mines, and
          keeps its blocks in the browser's storage. Nothing is installed.
        </p>
      </div>
    </div>
  );
}
