throw new Error("msgpackr-extract is stubbed out in this project; msgpackr uses its JS decoder")
