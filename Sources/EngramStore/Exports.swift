// The storage seam (blocks, refs, their errors) is part of this module's API: a user of the
// file store names `Block`, `BlockStore` and `StoreError` without a second import.
@_exported import EngramStorage
