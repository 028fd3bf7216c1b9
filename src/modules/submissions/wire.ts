/** The submissions module's wire schemas, pure (TypeBox only): the SDK derives its status types from them. */
export {
  AssetStatusSchema,
  BulkStatusBodySchema,
  BulkStatusResponseSchema,
  NotFoundStatusSchema,
  StatusSchema,
} from './status.schemas.js'
export { RevocationSchema, RevokeBodySchema } from './corrections.schemas.js'
