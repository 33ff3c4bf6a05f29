dist_pkgdata_DATA += configs/quickstart.ini
