"""Just enough of the Chrome DevTools Protocol to use a page as a person would.

Debian's `chromium` is driven over its DevTools websocket with aiohttp's client:
no browser download, no driver, nothing but the browser the host installs.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import aiohttp

FLAGS = [
    "--headless",
    "--no-sandbox",  # tests may run as root, where the sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1280,900",
]


def executable() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium with one tab; every call waits at most `timeout` seconds."""

    def __init__(self, profile: Path, timeout: float = 30.0) -> None:
        self.profile = profile
        self.timeout = timeout
        self._process: asyncio.subprocess.Process | None = None
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def __aenter__(self) -> Browser:
        path = executable()
        assert path is not None
        self.profile.mkdir(parents=True, exist_ok=True)
        self._process = await asyncio.create_subprocess_exec(
            path,
            *FLAGS,
            f"--user-data-dir={self.profile}",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        port = await self._devtools_port()
        self._session = aiohttp.ClientSession()
        async with self._session.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json()
        page = next(target for target in targets if target["type"] == "page")
        self._ws = await self._session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        await self.call("Page.enable")
        await self.call("Runtime.enable")
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()
        if self._process is not None:
            self._process.terminate()
            try:
                await asyncio.wait_for(self._process.wait(), 10)
            except TimeoutError:
                self._process.kill()
                await self._process.wait()

    async def _devtools_port(self) -> int:
        marker = self.profile / "DevToolsActivePort"
        async with asyncio.timeout(self.timeout):
            while not marker.exists() or not marker.read_text().strip():
                assert self._process is not None
                if self._process.returncode is not None:
                    raise RuntimeError(f"chromium exited with {self._process.returncode}")
                await asyncio.sleep(0.1)
        return int(marker.read_text().splitlines()[0])

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            data = json.loads(message.data)
            if "id" in data:
                future = self._pending.pop(data["id"], None)
                if future is not None and not future.done():
                    future.set_result(data)
            else:
                self._events.put_nowait(data)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        assert self._ws is not None
        ident = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[ident] = future
        await self._ws.send_str(json.dumps({"id": ident, "method": method, "params": params}))
        async with asyncio.timeout(self.timeout):
            answer = await future
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    async def _loaded(self) -> None:
        async with asyncio.timeout(self.timeout):
            while (await self._events.get())["method"] != "Page.loadEventFired":
                pass

    def _drain(self) -> None:
        while not self._events.empty():
            self._events.get_nowait()

    async def open(self, url: str) -> None:
        self._drain()
        await self.call("Page.navigate", url=url)
        await self._loaded()

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def type_into_label(self, label: str, text: str) -> None:
        """Focus the field a <label> names, as clicking the label would, then type."""
        found = await self.evaluate(
            "(() => { const l = [...document.querySelectorAll('label')]"
            f".find(e => e.textContent.trim() === {json.dumps(label)});"
            " if (!l) return false; l.control.focus(); return true; })()"
        )
        assert found, f"no field labelled {label!r}"
        await self.call("Input.insertText", text=text)

    async def press_enter(self) -> None:
        """Enter in a form field submits it; waits for the page that comes back."""
        self._drain()
        for kind in ("keyDown", "keyUp"):
            await self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key="Enter",
                code="Enter",
                windowsVirtualKeyCode=13,
                text="\r" if kind == "keyDown" else "",
            )
        await self._loaded()

    async def click_link(self, text: str, within: str = "main") -> None:
        """Click a link by its text where a person sees it, and wait for the next page."""
        box = await self.evaluate(
            f"(() => {{ const a = [...document.querySelectorAll({json.dumps(within + ' a')})]"
            f".find(e => e.textContent.trim() === {json.dumps(text)});"
            " if (!a) return null; a.scrollIntoView(); const r = a.getBoundingClientRect();"
            " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()"
        )
        assert box, f"no link {text!r} in {within}"
        self._drain()
        for kind in ("mousePressed", "mouseReleased"):
            await self.call(
                "Input.dispatchMouseEvent",
                type=kind,
                x=box["x"],
                y=box["y"],
                button="left",
                clickCount=1,
            )
        await self._loaded()

    async def screenshot(self, path: Path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        await asyncio.to_thread(path.write_bytes, base64.b64decode(shot["data"]))
