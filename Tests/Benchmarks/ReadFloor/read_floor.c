/* read_floor FILE [LAYER] — the GDAL read floor: every feature of a layer read on one core,
 * every vertex of every geometry visited (summed, so nothing is optimised away), no attribute
 * parsed beyond what OGR does to build the feature. Prints features, vertices, wall seconds.
 * Built by bench.sh with: cc -O2 read_floor.c $(gdal-config --cflags) $(gdal-config --libs) */
#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <time.h>

static double visit(OGRGeometryH g, long *n) {
    double s = 0;
    int parts = OGR_G_GetGeometryCount(g);
    if (parts > 0) {
        for (int i = 0; i < parts; i++) s += visit(OGR_G_GetGeometryRef(g, i), n);
        return s;
    }
    int k = OGR_G_GetPointCount(g);
    for (int i = 0; i < k; i++) { s += OGR_G_GetX(g, i) + OGR_G_GetY(g, i); }
    *n += k;
    return s;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: read_floor FILE [LAYER]\n"); return 2; }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(argv[1], GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds) { fprintf(stderr, "read_floor: cannot open %s\n", argv[1]); return 1; }
    OGRLayerH layer = argc > 2 ? GDALDatasetGetLayerByName(ds, argv[2]) : GDALDatasetGetLayer(ds, 0);
    if (!layer) { fprintf(stderr, "read_floor: no layer\n"); return 1; }
    long features = 0, vertices = 0;
    double sum = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g) sum += visit(g, &vertices);
        features++;
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%ld features, %ld vertices, %.3f s (checksum %.3f)\n", features, vertices,
           (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, sum);
    return 0;
}
