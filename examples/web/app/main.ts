/**
 * The example checkout page. Two states, chosen by the URL:
 * - no `kspay_id` in the query: the payment form (currency, method, amount). Paying
 *   initiates a transaction with a fresh referenceNumber, processes it, and sends the
 *   customer to KS Pay's hosted checkout page (`checkoutUrl`);
 * - back from the checkout (`?payment_status=…&kspay_id=…&provider_payment_id=…`): the
 *   query string is only a claim, so the page asks the gateway to verify it with KS Pay
 *   and shows the verified status.
 */
import { amountProblem, formatAmount, sampleAmount } from './amount.js';
import {
  describeFailure,
  initiatePayment,
  loadCatalog,
  processPayment,
  verifyReturn,
  type Currency,
  type InitiateResult,
  type ProcessResult,
  type Verification,
} from './api.js';

type Tone = 'info' | 'busy' | 'success' | 'error';

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`#${id} is missing from index.html`);
  return found;
}

const ui = {
  status: element('status', HTMLParagraphElement),
  form: element('payment-form', HTMLFormElement),
  currency: element('currency', HTMLSelectElement),
  methodList: element('method-list', HTMLDivElement),
  amount: element('amount', HTMLInputElement),
  amountSymbol: element('amount-symbol', HTMLSpanElement),
  amountCode: element('amount-code', HTMLSpanElement),
  amountHint: element('amount-hint', HTMLParagraphElement),
  amountError: element('amount-error', HTMLParagraphElement),
  pay: element('pay', HTMLButtonElement),
  result: element('result', HTMLElement),
  resultTitle: element('result-title', HTMLHeadingElement),
  resultDetails: element('result-details', HTMLDListElement),
  again: element('again', HTMLAnchorElement),
};

function setStatus(text: string, tone: Tone = 'info'): void {
  ui.status.textContent = text;
  ui.status.parentElement!.dataset.tone = tone;
  ui.status.setAttribute('aria-busy', String(tone === 'busy'));
}

/** The page's own address without a query: where KS Pay sends the customer back. */
function returnAddress(): string {
  return new URL(window.location.pathname, window.location.origin).href;
}

/** A new idempotency key per payment; crypto.randomUUID needs a secure context (127.0.0.1 is one). */
function newReference(): string {
  if (typeof crypto.randomUUID === 'function') return `web-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

// ---------------------------------------------------------------------------------------
// The payment form

let currencies: Currency[] = [];

function selectedCurrency(): Currency | undefined {
  return currencies.find((c) => c.id === ui.currency.value);
}

function selectedMethodId(): string | null {
  const checked = ui.methodList.querySelector<HTMLInputElement>('input[name="method"]:checked');
  return checked?.value ?? null;
}

function renderCurrencies(): void {
  ui.currency.replaceChildren(
    ...currencies.map((c) => {
      return new Option(`${c.code} — ${c.name}`, c.id);
    }),
  );
  renderMethods();
}

function renderMethods(): void {
  const currency = selectedCurrency();
  if (!currency) return;
  const firstActive = currency.paymentMethods.find((m) => m.isActive);
  ui.methodList.replaceChildren(
    ...currency.paymentMethods.map((method) => {
      const id = `method-${method.id}`;
      const input = Object.assign(document.createElement('input'), {
        type: 'radio',
        name: 'method',
        id,
        value: method.id,
        disabled: !method.isActive,
        checked: method === firstActive,
        required: true,
      });
      const label = Object.assign(document.createElement('label'), { htmlFor: id });
      label.append(input, ' ', method.name);
      if (!method.isActive) {
        const note = Object.assign(document.createElement('span'), { className: 'unavailable', textContent: '(unavailable)' });
        label.append(' ', note);
      }
      return label;
    }),
  );
  ui.amountSymbol.textContent = currency.symbol;
  ui.amountCode.textContent = currency.code;
  ui.amount.placeholder = sampleAmount(currency.decimalPlaces);
  ui.amountHint.textContent =
    currency.decimalPlaces === null
      ? `The amount in ${currency.name}.`
      : `The amount in ${currency.name}, with at most ${currency.decimalPlaces} decimal places.`;
  updatePayButton();
}

function showAmountError(message: string | null): void {
  ui.amountError.textContent = message ?? '';
  ui.amountError.hidden = message === null;
  if (message === null) ui.amount.removeAttribute('aria-invalid');
  else ui.amount.setAttribute('aria-invalid', 'true');
}

function updatePayButton(): void {
  const currency = selectedCurrency();
  const amount = ui.amount.value.trim();
  const payable = currency && amount !== '' && amountProblem(amount, currency.decimalPlaces) === null;
  ui.pay.textContent = payable ? `Pay ${currency.symbol} ${formatAmount(amount, currency.decimalPlaces)}` : 'Pay';
}

function setBusy(busy: boolean): void {
  for (const control of ui.form.elements) {
    if (control instanceof HTMLInputElement && control.type === 'radio') {
      // Inactive methods stay disabled.
      const method = selectedCurrency()?.paymentMethods.find((m) => m.id === control.value);
      control.disabled = busy || !method?.isActive;
    } else if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLButtonElement) {
      control.disabled = busy;
    }
  }
  ui.form.setAttribute('aria-busy', String(busy));
}

/**
 * The reference of the payment being attempted. A retry of the same input after a
 * failure that may be temporary reuses it, so the gateway answers with the same
 * transaction instead of creating a second one; a different input gets a new one.
 */
let attempt: { key: string; referenceNumber: string } | null = null;

function referenceFor(key: string): string {
  if (attempt?.key !== key) attempt = { key, referenceNumber: newReference() };
  return attempt.referenceNumber;
}

function failureText(result: Exclude<InitiateResult | ProcessResult, { __typename: 'InitiateTransactionSuccess' | 'ProcessTransactionSuccess' }>): string {
  switch (result.__typename) {
    case 'UpstreamUnavailableError':
      return `KS Pay is not available right now (${result.message}). Please try again.`;
    case 'SignatureInvalidError':
      attempt = null; // this transaction can no longer be processed: start a new one
      return `${result.message} Please try again to start a new payment.`;
    case 'IdempotencyConflictError':
      attempt = null;
      return `${result.message} Please try again.`;
    default:
      return `${result.message} (${result.code})`;
  }
}

async function pay(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const currency = selectedCurrency();
  const paymentMethodId = selectedMethodId();
  const amount = ui.amount.value.trim();
  if (!currency) return setStatus('Choose a currency.', 'error');
  if (!paymentMethodId) return setStatus('Choose a payment method.', 'error');
  const problem = amountProblem(amount, currency.decimalPlaces);
  showAmountError(problem);
  if (problem) {
    setStatus(`Check the amount: ${problem}`, 'error');
    ui.amount.focus();
    return;
  }

  const input = { currencyId: currency.id, paymentMethodId, amount, redirectUrl: returnAddress() };
  const referenceNumber = referenceFor(JSON.stringify(input));
  setBusy(true);
  let leaving = false;
  try {
    setStatus('Creating the payment…', 'busy');
    const initiated = await initiatePayment({ ...input, referenceNumber });
    if (initiated.__typename !== 'InitiateTransactionSuccess') {
      if (initiated.__typename === 'ValidationError' && initiated.field === 'input.amount') {
        showAmountError(initiated.message);
        ui.amount.focus();
      }
      return setStatus(failureText(initiated), 'error');
    }

    setStatus('Preparing KS Pay checkout…', 'busy');
    const processed = await processPayment(initiated.signature);
    if (processed.__typename !== 'ProcessTransactionSuccess') return setStatus(failureText(processed), 'error');
    if (!processed.checkoutUrl) return setStatus('KS Pay did not return a checkout page for this payment.', 'error');

    setStatus('Taking you to KS Pay checkout…', 'busy');
    leaving = true;
    window.location.assign(processed.checkoutUrl);
  } catch (error) {
    setStatus(`The payment could not be started: ${describeFailure(error)}`, 'error');
  } finally {
    if (!leaving) setBusy(false);
  }
}

async function showPaymentForm(): Promise<void> {
  try {
    currencies = (await loadCatalog()).filter((c) => c.paymentMethods.some((m) => m.isActive));
  } catch (error) {
    return setStatus(`The currencies could not be loaded: ${describeFailure(error)}`, 'error');
  }
  if (currencies.length === 0) return setStatus('No currency is available for payment.', 'error');
  renderCurrencies();
  ui.currency.addEventListener('change', () => {
    renderMethods();
    showAmountError(null);
  });
  ui.amount.addEventListener('input', () => {
    updatePayButton();
    if (!ui.amountError.hidden) showAmountError(null);
  });
  ui.form.addEventListener('submit', (event) => void pay(event));
  ui.form.hidden = false;
  setStatus('Choose a currency, a payment method and an amount.');
}

// ---------------------------------------------------------------------------------------
// Back from KS Pay checkout

function detailRows(verification: Verification, providerPaymentId: string | null): [string, string][] {
  const transaction = verification.transaction;
  const rows: [string, string][] = [];
  if (transaction) {
    rows.push(['Transaction', transaction.id]);
    const amount = formatAmount(transaction.amount, transaction.currency?.decimalPlaces);
    rows.push(['Amount', `${amount} ${transaction.currencyCode ?? ''}`.trim()]);
    rows.push(['Status at KS Pay', transaction.status]);
    rows.push(['Provider payment id', transaction.providerPaymentId ?? '—']);
  } else {
    rows.push(['Provider payment id', providerPaymentId || '—']);
  }
  rows.push(['Status claimed by the return', verification.claimedStatus]);
  rows.push(['Verified', verification.verified ? 'Yes' : 'No']);
  return rows;
}

function renderResult(title: string, rows: [string, string][]): void {
  ui.resultTitle.textContent = title;
  ui.resultDetails.replaceChildren(
    ...rows.flatMap(([term, value]) => [
      Object.assign(document.createElement('dt'), { textContent: term }),
      Object.assign(document.createElement('dd'), { textContent: value }),
    ]),
  );
  ui.again.href = returnAddress();
  ui.result.hidden = false;
}

async function showReturn(params: URLSearchParams): Promise<void> {
  const kspayId = params.get('kspay_id') ?? '';
  const paymentStatus = params.get('payment_status') ?? '';
  const providerPaymentId = params.get('provider_payment_id') || null;
  document.title = 'Payment result · KS Pay gateway example';
  element('page-title', HTMLHeadingElement).textContent = 'Your payment';
  setStatus('Verifying your payment with KS Pay…', 'busy');

  let verification: Verification;
  try {
    verification = await verifyReturn(kspayId, paymentStatus, providerPaymentId);
  } catch (error) {
    renderResult('Payment not confirmed', [['Transaction', kspayId || '—']]);
    return setStatus(`The payment could not be verified: ${describeFailure(error)}. Reload the page to try again.`, 'error');
  }

  const status = verification.transaction?.status;
  const rows = detailRows(verification, providerPaymentId);
  if (!verification.verified || !status) {
    renderResult('Payment not confirmed', rows);
    const actual = status ? `KS Pay reports ${status}` : 'KS Pay does not know this transaction';
    return setStatus(`Not verified: the return claimed “${verification.claimedStatus}” but ${actual}. Do not ship this order.`, 'error');
  }
  switch (status) {
    case 'SUCCESS':
      renderResult('Payment successful', rows);
      return setStatus('Payment verified with KS Pay: SUCCESS. Thank you for your order!', 'success');
    case 'FAILED':
      renderResult('Payment declined', rows);
      return setStatus('Payment verified with KS Pay: FAILED. You have not been charged.', 'error');
    default:
      renderResult('Payment pending', rows);
      return setStatus(`Payment verified with KS Pay: ${status}. It is not complete yet.`, 'info');
  }
}

const params = new URLSearchParams(window.location.search);
void (params.has('kspay_id') ? showReturn(params) : showPaymentForm());
