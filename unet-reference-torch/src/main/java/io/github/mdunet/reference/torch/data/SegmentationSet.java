package io.github.mdunet.reference.torch.data;

import io.github.mdunet.reference.torch.spec.ImageShape;
import java.util.List;

/**
 * Images and masks in memory. Each image is float [C, H, W] (C order, already normalised), each mask holds class
 * ids [H, W] as unsigned bytes.
 */
public record SegmentationSet(ImageShape shape, List<String> names, List<float[]> images, List<byte[]> masks) {

    public SegmentationSet {
        names = List.copyOf(names);
        images = List.copyOf(images);
        masks = List.copyOf(masks);
        if (names.size() != images.size() || names.size() != masks.size()) {
            throw new IllegalArgumentException("names, images and masks differ in count: " + names.size() + ", "
                    + images.size() + ", " + masks.size());
        }
    }

    public int size() {
        return names.size();
    }

    /** Class id of pixel (y, x) of mask i. */
    public int label(int i, int y, int x) {
        return Byte.toUnsignedInt(masks.get(i)[y * shape.width() + x]);
    }
}
