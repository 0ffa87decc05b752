package com.example.leak;

/** What a worker holds while it waits: a request and its 64 KiB body. */
public final class Request {
    final byte[] body = new byte[65536];
}
