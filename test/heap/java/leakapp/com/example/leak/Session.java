package com.example.leak;

/** One cached session: 16 (header, id, payload) + its 4,096-byte payload. */
public final class Session {
    final String id;
    final byte[] payload = new byte[4096];

    Session(String id) {
        this.id = id;
    }
}
