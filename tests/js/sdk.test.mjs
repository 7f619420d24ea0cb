// The official @voucherify/sdk against a running openvoucher server.
// Needs OPENVOUCHER_URL, OPENVOUCHER_APP_ID and OPENVOUCHER_APP_TOKEN (a fresh project).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import sdk from '@voucherify/sdk'

const { VoucherifyServerSide } = sdk

const apiUrl = process.env.OPENVOUCHER_URL
const applicationId = process.env.OPENVOUCHER_APP_ID
const secretKey = process.env.OPENVOUCHER_APP_TOKEN
const client = VoucherifyServerSide({ applicationId, secretKey, apiUrl })

test('customers: create and read back', async () => {
  const created = await client.customers.create({ source_id: 'js-alice', name: 'Alice', email: 'alice@example.com' })
  assert.equal(created.object, 'customer')
  assert.match(created.id, /^cust_/)
  const fetched = await client.customers.get('js-alice')
  assert.equal(fetched.id, created.id)
  assert.equal(fetched.email, 'alice@example.com')
})

test('campaigns and vouchers: create, read back, list', async () => {
  const campaign = await client.campaigns.create({
    name: 'JS spring',
    campaign_type: 'DISCOUNT_COUPONS',
    type: 'AUTO_UPDATE',
    voucher: {
      type: 'DISCOUNT_VOUCHER',
      discount: { type: 'AMOUNT', amount_off: 1500 },
      code_config: { pattern: 'JS-####' }
    }
  })
  assert.equal(campaign.name, 'JS spring')
  assert.equal((await client.campaigns.get(campaign.id)).id, campaign.id)
  const voucher = await client.campaigns.addCertainVoucher(campaign.id, 'JS-FIXED-1')
  assert.equal(voucher.code, 'JS-FIXED-1')
  assert.equal(voucher.discount.amount_off, 1500)
  const standalone = await client.vouchers.create({
    code: 'JS-STANDALONE',
    type: 'DISCOUNT_VOUCHER',
    discount: { type: 'PERCENT', percent_off: 10 }
  })
  assert.equal(standalone.code, 'JS-STANDALONE')
  const fetched = await client.vouchers.get('JS-FIXED-1')
  assert.equal(fetched.campaign_id, campaign.id)
  const listed = await client.vouchers.list({ campaign: campaign.id })
  assert.deepEqual(listed.vouchers.map((v) => v.code), ['JS-FIXED-1'])
})

test('products and SKUs', async () => {
  const product = await client.products.create({ source_id: 'js-phone', name: 'Phone', price: 49900, attributes: ['color'] })
  assert.equal(product.object, 'product')
  const sku = await client.products.createSku(product.id, { source_id: 'js-phone-red', attributes: { color: 'red' } })
  assert.equal(sku.product_id, product.id)
  assert.equal((await client.products.getSku('js-phone-red')).id, sku.id)
  const updated = await client.products.update({ id: product.id, price: 100 })
  assert.equal(updated.price, 100)
  assert.equal((await client.products.listSkus(product.id)).total, 1)
  const { async_action_id: actionId } = await client.products.bulkUpdateMetadata({ source_ids: ['js-phone'], metadata: { js: true } })
  assert.match(actionId, /^aa_/)
})

test('OAuth: a bearer token works in place of the keys', async () => {
  const response = await fetch(`${apiUrl}/v1/oauth/token`, {
    method: 'POST',
    headers: { 'X-App-Id': applicationId, 'X-App-Token': secretKey, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'customers' })
  })
  assert.equal(response.status, 200)
  const token = await response.json()
  assert.equal(token.token_type, 'Bearer')
  // The SDK has no OAuth option; its customHeaders carry the token (key headers are ignored then).
  const oauthClient = VoucherifyServerSide({
    applicationId: 'unused',
    secretKey: 'unused',
    apiUrl,
    customHeaders: { Authorization: `Bearer ${token.access_token}` }
  })
  const customer = await oauthClient.customers.get('js-alice')
  assert.equal(customer.source_id, 'js-alice')
  await assert.rejects(oauthClient.vouchers.list(), (error) => error.code === 403)
})
