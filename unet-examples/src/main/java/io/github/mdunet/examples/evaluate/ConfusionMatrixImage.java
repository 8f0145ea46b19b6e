package io.github.mdunet.examples.evaluate;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * The confusion matrix as a picture: rows are the true classes, columns the predicted ones; each cell is shaded by the
 * share of its row (the fraction of a class's pixels predicted as the column's class) and shows that share and the
 * pixel count.
 */
public final class ConfusionMatrixImage {

    private static final int CELL = 84;
    private static final int MARGIN = 110;
    private static final Color DARK = new Color(0x08306B);

    private ConfusionMatrixImage() {
    }

    /** @param confusion counts {@code [actual][predicted]} */
    public static BufferedImage of(long[][] confusion, List<String> classNames) {
        int classes = confusion.length;
        int side = MARGIN + classes * CELL + 20;
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, side, side);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("predicted", MARGIN + classes * CELL / 2 - 30, 18);
        g.rotate(-Math.PI / 2);
        g.drawString("actual", -(MARGIN + classes * CELL / 2 + 20), 18);
        g.rotate(Math.PI / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int k = 0; k < classes; k++) {
            String name = shorten(classNames.get(k));
            g.drawString(name, MARGIN + k * CELL + 4, MARGIN - 8);
            g.drawString(name, 30, MARGIN + k * CELL + CELL / 2 + 4);
        }
        for (int a = 0; a < classes; a++) {
            long row = 0;
            for (long count : confusion[a]) {
                row += count;
            }
            for (int p = 0; p < classes; p++) {
                double share = row == 0 ? 0 : (double) confusion[a][p] / row;
                int x = MARGIN + p * CELL;
                int y = MARGIN + a * CELL;
                g.setColor(shade(share));
                g.fillRect(x, y, CELL, CELL);
                g.setColor(Color.LIGHT_GRAY);
                g.drawRect(x, y, CELL, CELL);
                g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                centred(g, String.format(Locale.ROOT, "%.1f%%", 100 * share), x, y + CELL / 2 - 2);
                centred(g, String.format(Locale.ROOT, "%,d", confusion[a][p]), x, y + CELL / 2 + 14);
            }
        }
        g.dispose();
        return image;
    }

    private static Color shade(double share) {
        int r = (int) Math.round(255 + (DARK.getRed() - 255) * share);
        int green = (int) Math.round(255 + (DARK.getGreen() - 255) * share);
        int b = (int) Math.round(255 + (DARK.getBlue() - 255) * share);
        return new Color(r, green, b);
    }

    private static void centred(Graphics2D g, String text, int cellX, int baseline) {
        FontMetrics metrics = g.getFontMetrics();
        g.drawString(text, cellX + (CELL - metrics.stringWidth(text)) / 2, baseline);
    }

    private static String shorten(String name) {
        return name.length() <= 11 ? name : name.substring(0, 10) + "…";
    }
}
