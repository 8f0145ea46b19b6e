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
 * pixel count. With many classes the cells shrink so that the picture stays about 2,000 px wide (the counts are in
 * {@code confusion-matrix.csv}): below 60 px they are shading only, below 14 px the classes are not named.
 */
public final class ConfusionMatrixImage {

    /** A cell's side while the matrix stays within {@link #MAX_CELLS_SIDE}; cells shrink for many classes. */
    private static final int CELL = 84;
    /** The side of all cells together at most (about 2,000 px: 150 classes take 13 px cells, not a 12,700 px image). */
    private static final int MAX_CELLS_SIDE = 2016;
    /** The smallest cell that still holds its share and count as text. */
    private static final int TEXT_CELL = 60;
    /** The smallest cell whose row and column still get their class's name (12 px text). */
    private static final int LABEL_CELL = 14;
    private static final int MARGIN = 110;
    private static final Color DARK = new Color(0x08306B);

    private ConfusionMatrixImage() {
    }

    /** @param confusion counts {@code [actual][predicted]} */
    public static BufferedImage of(long[][] confusion, List<String> classNames) {
        int classes = confusion.length;
        int cell = cellSide(classes);
        int side = MARGIN + classes * cell + 20;
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, side, side);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("predicted", MARGIN + classes * cell / 2 - 30, 18);
        g.rotate(-Math.PI / 2);
        g.drawString("actual", -(MARGIN + classes * cell / 2 + 20), 18);
        g.rotate(Math.PI / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int k = 0; k < classes && cell >= LABEL_CELL; k++) {
            String name = shorten(classNames.get(k));
            if (g.getFontMetrics().stringWidth(name) <= cell - 4) { // a column's name only where it fits its column
                g.drawString(name, MARGIN + k * cell + 4, MARGIN - 8);
            }
            g.drawString(name, 30, MARGIN + k * cell + cell / 2 + 4);
        }
        for (int a = 0; a < classes; a++) {
            long row = 0;
            for (long count : confusion[a]) {
                row += count;
            }
            for (int p = 0; p < classes; p++) {
                double share = row == 0 ? 0 : (double) confusion[a][p] / row;
                int x = MARGIN + p * cell;
                int y = MARGIN + a * cell;
                g.setColor(shade(share));
                g.fillRect(x, y, cell, cell);
                g.setColor(Color.LIGHT_GRAY);
                g.drawRect(x, y, cell, cell);
                g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                if (cell >= TEXT_CELL) {
                    centred(g, String.format(Locale.ROOT, "%.1f%%", 100 * share), x, y + cell / 2 - 2, cell);
                    centred(g, String.format(Locale.ROOT, "%,d", confusion[a][p]), x, y + cell / 2 + 14, cell);
                }
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

    /** {@link #CELL}, or smaller so that {@code classes} cells fit in {@link #MAX_CELLS_SIDE}, at least 2 px. */
    static int cellSide(int classes) {
        return Math.max(2, Math.min(CELL, MAX_CELLS_SIDE / Math.max(1, classes)));
    }

    private static void centred(Graphics2D g, String text, int cellX, int baseline, int cell) {
        FontMetrics metrics = g.getFontMetrics();
        g.drawString(text, cellX + (cell - metrics.stringWidth(text)) / 2, baseline);
    }

    private static String shorten(String name) {
        return name.length() <= 11 ? name : name.substring(0, 10) + "…";
    }
}
