package io.github.djllovasz.examples.fashion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws test mIoU per epoch of every run as a PNG line chart (XChart). */
public final class MeanIouChart {

    private MeanIouChart() {}

    /**
     * Writes the chart.
     *
     * @param results the runs
     * @param switchEpoch the 0-based epoch where fine-tuning starts (marked in the title), or 0
     * @param file the PNG to write
     * @return the file
     * @throws IOException if writing fails
     */
    public static Path write(List<RunResult> results, int switchEpoch, Path file)
            throws IOException {
        String title = "Held-out mIoU per epoch" + (switchEpoch > 0
                ? " (Lovász fine-tuning and lr decay from epoch " + (switchEpoch + 1) + ")"
                : "");
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(520)
                .title(title)
                .xAxisTitle("epoch")
                .yAxisTitle("test mIoU (%)")
                .build();
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (RunResult r : results) {
            List<Double> miou = r.testMeanIou();
            double[] x = new double[miou.size()];
            double[] y = new double[miou.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
                y[i] = 100 * miou.get(i);
            }
            chart.addSeries(r.recipe().label(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
