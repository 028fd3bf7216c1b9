import { Type } from 'typebox'
import { AssetUploadSchema } from '../assets/index.js'

/** Responses of the intake endpoints (spec §3, §5). */

export const RedirectResponseSchema = Type.Object({
  redirect_uri: Type.String({ description: 'Send the holder here to review and accept the credentials.' }),
})

export const V2ResponseSchema = Type.Object({
  redirect_uri: RedirectResponseSchema.properties.redirect_uri,
  asset_uploads: Type.Array(AssetUploadSchema, {
    description: 'One upload link per document awaiting upload; none for documents given in asset_data.',
  }),
})
