#!/usr/bin/env bash
# Screenshots of every DopaJ Fiji command's result for the docs (docs/img/fiji-*.png), taken in a real ImageJ 1.54p
# under Xvfb from the bundled samples: each picture is the displayed slice with its overlay rendered (flattened), as a
# reader sees it, enlarged ×3 nearest-neighbour. Needs Java 17, Maven, xvfb-run. Usage: scripts/screenshots.sh [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(cd "${1:-$here/docs/img}" && pwd)"
cd "$here"
mvn -q -B package -DskipTests            # the plugin, its jars, and the test helper class (flatten + PNG)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ImageJ/plugins/jars"
cp core/target/plugins/DopaJ_-*.jar "$work/ImageJ/plugins/"
ln -s "$here"/core/target/plugins/jars/* "$work/ImageJ/plugins/jars/"
cp core/target/test-classes/DopaJ_Test_Helper.class "$work/ImageJ/plugins/"
ln -s "$here/models" "$work/ImageJ/models"
# an SMWI phantom whose nigrosome centroids are known (voxels 34,49,19 and 78,52,20)
TF_CPP_MIN_LOG_LEVEL=2 ./dopaj phantom smwi "$work/smwi.nii.gz" --seed 21 --sbr-left 3.6 --sbr-right 1.4 > /dev/null
png() { echo "run(\"DopaJ Test Helper\", \"png=[$out/$1] zoom=3\");"; }
cat > "$work/shots.ijm" <<MACRO
setBatchMode(true);
run("NIfTI (DopaJ)...", "open=[$here/samples/head_phantom.nii.gz]");
$(png fiji-open-t1.png)
run("Brain Mask", "intervals=49 show_masked show_pseudocolour show_outline");
selectImage("head_phantom_brainmask"); $(png fiji-brainmask-mask.png)
selectImage("head_phantom_brain"); $(png fiji-brainmask-brain.png)
selectImage("head_phantom_pseudocolour"); $(png fiji-brainmask-pseudocolour.png)
selectImage("head_phantom_outline"); $(png fiji-brainmask-outline.png)
run("NIfTI (DopaJ)...", "open=[$here/samples/spect_phantom_pd.nii.gz]");
$(png fiji-open-spect.png)
run("Quantify SBR", "hottest_voxels=125");
$(png fiji-quantify-sbr.png)
run("Classify", "opacity=0.5 colour_map=jet");
$(png fiji-classify-cam-window.png)
selectImage("spect_phantom_pd"); $(png fiji-classify-vois-and-cam.png)
run("NIfTI (DopaJ)...", "open=[$work/smwi.nii.gz]");
run("Crop ROIs", "centroids=[left=34,49,19 right=78,52,20] units=voxel");
$(png fiji-nigrosome-crop-right.png)
selectImage("smwi");
run("Predict SBR", "centroids=[left=34,49,19 right=78,52,20] units=voxel show_cam opacity=0.4");
$(png fiji-nigrosome-cam-right.png)
print("SCREENSHOTS DONE");
MACRO
TF_CPP_MIN_LOG_LEVEL=2 timeout 600 xvfb-run -a java -Xmx2g -Dplugins.dir="$work/ImageJ" -Duser.home="$work/ImageJ" \
  -cp "$(ls core/target/lib/ij-*.jar | head -1)" ij.ImageJ -batch "$work/shots.ijm" | grep -v '^SLF4J' | tee "$work/log.txt"
grep -q "SCREENSHOTS DONE" "$work/log.txt" && ! grep -q "error:" "$work/log.txt"
ls -la "$out"/fiji-*.png
