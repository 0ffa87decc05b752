// A heap for benchmarking `capscope heap`: about 1.2 GB in millions of objects, shaped like the
// leaks capscope is for — a long linked list, a big map of sessions, duplicated strings, large
// buffers. It prints "ready" once built, then waits to be dumped (jcmd <pid> GC.heap_dump).

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class HeapBench {
    static final class Node {
        long seq;
        Object payload;
        Node next;
    }

    static final class Session {
        final String user;
        final byte[] data;
        final long created;

        Session(String user, byte[] data, long created) {
            this.user = user;
            this.data = data;
            this.created = created;
        }
    }

    static Node events;
    static final Map<String, Session> SESSIONS = new HashMap<>();
    static final List<byte[]> BUFFERS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        int listNodes = Integer.parseInt(args.length > 0 ? args[0] : "2000000");
        int sessions = Integer.parseInt(args.length > 1 ? args[1] : "1000000");
        int buffers = Integer.parseInt(args.length > 2 ? args[2] : "400");
        Node head = null;
        for (int i = listNodes - 1; i >= 0; i--) {
            Node n = new Node();
            n.seq = i;
            n.payload = (i % 4 == 0) ? Integer.valueOf(i) : null;
            n.next = head;
            head = n;
        }
        events = head;
        for (int i = 0; i < sessions; i++) {
            // A new String per session for the same 1,000 user names: duplicates, as a cache that
            // forgot to intern would keep them.
            String user = new String(("user-" + (i % 1000)).toCharArray());
            SESSIONS.put("session-" + i, new Session(user, new byte[512], i));
        }
        for (int i = 0; i < buffers; i++) BUFFERS.add(new byte[1 << 20]);
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
