package io.github.mdunet.core.nativememory;

import org.bytedeco.javacpp.Pointer;

/**
 * The main class of the child JVMs of {@link NativeHeapChildJvmTest}: applies {@link NativeHeap}'s policy from
 * {@code -Dmdunet.nativeHeap}, then frees many large blocks allocated with {@code malloc} behind one small block
 * that is still live (as a training step's temporaries are freed while later arrays live on) and prints
 * {@code APPLIED changed} and {@code RETAINED bytes}: the resident memory still held after the frees.
 */
public final class NativeHeapProbe {

    static final long BLOCK_BYTES = 6L << 20;
    static final int BLOCKS = 40;

    private NativeHeapProbe() {
    }

    public static void main(String[] args) {
        NativeHeap.Applied applied = NativeHeap.configureForApplication();
        System.out.println("APPLIED " + applied.changed());
        // As in a first training step: one large block freed, which is what raises glibc's own threshold.
        Pointer first = touched(BLOCK_BYTES);
        Pointer.free(first);

        long before = Pointer.physicalBytes();
        Pointer[] blocks = new Pointer[BLOCKS];
        for (int i = 0; i < BLOCKS; i++) {
            blocks[i] = touched(BLOCK_BYTES);
        }
        Pointer stillLive = touched(64 << 10);
        for (Pointer block : blocks) {
            Pointer.free(block);
        }
        System.out.println("RETAINED " + (Pointer.physicalBytes() - before));
        Pointer.free(stillLive);
    }

    private static Pointer touched(long bytes) {
        Pointer block = Pointer.malloc(bytes);
        Pointer.memset(block, 1, bytes);
        return block;
    }
}
