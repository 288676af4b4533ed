import GeoMonitor
