package com.kili.nativesdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy on 127.0.0.1 (free port) in front of an emulator. It forwards everything until
 * {@link #stall()}; from then on bytes from the client are held back (never forwarded, never
 * answered) and {@link #requestHeld} is counted down, so a test knows for sure that a call is
 * blocked waiting for the server before it interrupts or cancels it.
 */
final class StallingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final AtomicBoolean stalled = new AtomicBoolean();
    volatile CountDownLatch requestHeld = new CountDownLatch(1);

    StallingProxy(String baseUrl) throws IOException {
        URI u = URI.create(baseUrl);
        targetHost = u.getHost();
        targetPort = u.getPort();
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "stalling-proxy");
        t.setDaemon(true);
        t.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/api/label/v2/graphql";
    }

    /** From now on, requests are held. */
    void stall() {
        requestHeld = new CountDownLatch(1);
        stalled.set(true);
    }

    /** Forward again (for later requests on new connections). */
    void resume() {
        stalled.set(false);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (fromClient && stalled.get()) {
                        requestHeld.countDown();
                        continue; // swallow: the caller waits for an answer that never comes
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection closed
            } finally {
                try {
                    to.close();
                    from.close();
                } catch (IOException e) {
                    // ignore
                }
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
