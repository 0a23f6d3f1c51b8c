/** Tables of the data domain (migration 0003). JSON columns hold text; times are epoch ms. */
export interface DataDatasetsTable {
  name: string;
  created_at: number;
}

export interface DataVersionsTable {
  name: string;
  version: number;
  /** `sha256:<hex>` */
  digest: string;
  source: string;
  read_options: string;
  files: string;
  row_count: number;
  schema: string;
  profile: string;
  created_by: string;
  created_at: number;
  tags: string;
}

export interface DataTables {
  data_datasets: DataDatasetsTable;
  data_versions: DataVersionsTable;
}
