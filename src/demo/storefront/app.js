// The demo storefront of medusa-plugin-interest: plain JS on top of the
// storefront client's browser bundle (window.MedusaInterest) and Medusa's
// public store API, the way any storefront would use them.
;(function () {
  "use strict"
  var cfg = window.INTEREST_DEMO || {}
  var TOKEN_KEY = "interest_demo_jwt"
  var LAST_VIEWED_KEY = "interest_demo_last_viewed"
  var LIMIT = 8
  var PLACEMENTS = ["for_you", "related", "trending", "recently_viewed"]

  var $ = function (sel, root) { return (root || document).querySelector(sel) }
  var statusEl = $("#status")
  function status(message, isError) {
    statusEl.textContent = message || ""
    statusEl.className = "status" + (isError ? " error" : "")
  }

  var client = window.MedusaInterest.createInterestClient({
    baseUrl: window.location.origin,
    publishableKey: cfg.publishableKey || undefined,
    flushIntervalMs: 500,
    customerToken: function () { return safeGet(TOKEN_KEY) },
    onError: function (e) { status("Event not recorded: " + e.message, true) },
  })

  /** Products of the catalogue by id, with their first category's name. */
  var catalogue = new Map()
  var lastViewed = safeGet(LAST_VIEWED_KEY, true)
  var activeCategory = null
  // Each refresh gets a number; an older refresh never overwrites a newer one.
  var refreshSeq = 0
  // Likewise for views: only the latest click refreshes once its view is stored.
  var viewSeq = 0
  // The latest view whose refresh has started. Until it catches up with
  // viewSeq the carousels are not settled: a refresh that began before the
  // newest view was stored may read it in one list and miss it in another.
  var refreshedViewSeq = 0

  function safeGet(key, session) {
    try { return (session ? sessionStorage : localStorage).getItem(key) } catch (e) { return null }
  }
  function safeSet(key, value, session) {
    try {
      var s = session ? sessionStorage : localStorage
      if (value === null) s.removeItem(key)
      else s.setItem(key, value)
    } catch (e) { /* storage disabled: state lasts as long as the page */ }
  }

  function storeFetch(path, init) {
    init = init || {}
    var headers = Object.assign({ accept: "application/json" }, init.headers || {})
    if (cfg.publishableKey) headers["x-publishable-api-key"] = cfg.publishableKey
    var token = safeGet(TOKEN_KEY)
    if (token && !headers.authorization) headers.authorization = "Bearer " + token
    return fetch(path, Object.assign({}, init, { headers: headers })).then(function (res) {
      return res.json().catch(function () { return {} }).then(function (body) {
        if (!res.ok) throw new Error(body.message || res.status + " " + res.statusText)
        return body
      })
    })
  }

  function loadCatalogue() {
    var products = []
    function page(offset) {
      var q = new URLSearchParams({ limit: "100", offset: String(offset), expand: "categories,variants,variants.prices" })
      if (cfg.regionId) q.set("region_id", cfg.regionId)
      return storeFetch("/store/products?" + q).then(function (body) {
        products = products.concat(body.products)
        var next = offset + body.products.length
        return body.products.length && next < body.count ? page(next) : products
      })
    }
    return page(0).then(function (all) {
      all.forEach(function (p) {
        var category = p.categories && p.categories[0] ? p.categories[0].name : "Uncategorised"
        catalogue.set(p.id, { product: p, category: category })
      })
      $("#catalogue-count").textContent = "(" + all.length + ")"
      renderFilters()
      renderGrid()
    })
  }

  function categoryOf(id) {
    var entry = catalogue.get(id)
    return entry ? entry.category : "Uncategorised"
  }

  function colour(text) {
    var h = 0
    for (var i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) % 360
    return "hsl(" + h + ", 55%, 48%)"
  }

  function price(product) {
    var variant = product.variants && product.variants[0]
    var amount = variant && typeof variant.calculated_price === "number" ? variant.calculated_price : null
    if (amount === null || !cfg.currencyCode) return ""
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency: cfg.currencyCode.toUpperCase() }).format(amount / 100)
    } catch (e) {
      return (amount / 100).toFixed(2) + " " + cfg.currencyCode.toUpperCase()
    }
  }

  /** A product card; `rec` is the recommendation it came from, if any. */
  function card(product, rec) {
    var category = categoryOf(product.id)
    var el = document.createElement("button")
    el.type = "button"
    el.className = "card" + (product.id === lastViewed ? " viewed" : "")
    el.dataset.productId = product.id
    el.dataset.category = category
    var thumb = document.createElement("div")
    thumb.className = "thumb"
    thumb.style.background = colour(category)
    thumb.textContent = product.title.split(/\s+/).slice(0, 2).map(function (w) { return w[0] }).join("").toUpperCase()
    var title = document.createElement("h3")
    title.textContent = product.title
    var cat = document.createElement("span")
    cat.className = "cat"
    cat.textContent = category
    var cost = document.createElement("span")
    cost.className = "price"
    cost.textContent = price(product)
    el.append(thumb, title, cat, cost)
    if (rec && product.reason) {
      var reason = document.createElement("span")
      reason.className = "reason"
      reason.textContent = product.reason
      el.append(reason)
    }
    el.addEventListener("click", function () { view(product.id, rec ? product.recommendation_id : null) })
    return el
  }

  function renderFilters() {
    var counts = new Map()
    catalogue.forEach(function (e) { counts.set(e.category, (counts.get(e.category) || 0) + 1) })
    var filters = $("#filters")
    filters.textContent = ""
    ;[null].concat(Array.from(counts.keys()).sort()).forEach(function (name) {
      var b = document.createElement("button")
      b.type = "button"
      b.textContent = name === null ? "All" : name + " (" + counts.get(name) + ")"
      b.dataset.category = name === null ? "" : name
      b.setAttribute("aria-pressed", String(activeCategory === name))
      b.addEventListener("click", function () {
        activeCategory = name
        renderFilters()
        renderGrid()
      })
      filters.append(b)
    })
  }

  function renderGrid() {
    var grid = $("#grid")
    grid.textContent = ""
    catalogue.forEach(function (e) {
      if (activeCategory === null || e.category === activeCategory) grid.append(card(e.product, null))
    })
  }

  function renderCarousel(placement, res, error) {
    var section = $('.carousel[data-placement="' + placement + '"]')
    var row = $(".row", section)
    row.textContent = ""
    section.hidden = placement === "related" && !lastViewed
    if (placement === "related" && lastViewed) $(".context", section).textContent = catalogue.has(lastViewed) ? catalogue.get(lastViewed).product.title : lastViewed
    if (error) {
      row.innerHTML = '<span class="empty"></span>'
      row.firstChild.textContent = "Could not load: " + error.message
      return
    }
    if (!res) return
    if (placement === "for_you") {
      $(".meta", section).textContent = res.segment ? "· segment " + res.segment.name : res.cold ? "· new visitor" : ""
    }
    section.dataset.recommendationId = res.recommendation_id
    // "Recently viewed" is empty until the shopper views something; the other lists never are.
    var products = res.products
    if (!products.length) {
      row.innerHTML = '<span class="empty">' + (placement === "recently_viewed" ? "Nothing viewed yet: click a product." : "Nothing yet") + "</span>"
      return
    }
    products.forEach(function (p) { row.append(card(p, res)) })
  }

  /** Fetches and renders every carousel; resolves with the answers by placement. */
  function refreshCarousels() {
    var seq = ++refreshSeq
    document.body.dataset.refreshing = "true"
    return Promise.all(
      PLACEMENTS.map(function (placement) {
        if (placement === "related" && !lastViewed) return Promise.resolve([placement, null, null])
        return client
          .getRecommendations({ placement: placement, limit: LIMIT, regionId: cfg.regionId || undefined, productId: placement === "related" ? lastViewed : undefined })
          .then(function (res) { return [placement, res, null] }, function (e) { return [placement, null, e] })
      })
    ).then(function (answers) {
      if (seq !== refreshSeq) return answers
      answers.forEach(function (a) { renderCarousel(a[0], a[1], a[2]) })
      if (refreshedViewSeq === viewSeq) document.body.dataset.refreshing = "false"
      document.body.dataset.refreshes = String(seq)
      return answers
    })
  }

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms) }) }

  /**
   * Records a view (and a click when it came from a carousel), then refreshes
   * the carousels once the server has it. The server stores events before its
   * 202, so the first check normally succeeds; a flush the client had to
   * retry is waited for until the product leads "recently viewed".
   */
  function view(productId, recommendationId) {
    if (recommendationId) client.track({ type: "click", product_id: productId, recommendation_id: recommendationId })
    client.track({ type: "view", product_id: productId })
    lastViewed = productId
    safeSet(LAST_VIEWED_KEY, productId, true)
    $("#viewing").hidden = false
    $("#viewing-title").textContent = catalogue.has(productId) ? catalogue.get(productId).product.title : productId
    $("#viewing-category").textContent = categoryOf(productId)
    Array.prototype.forEach.call(document.querySelectorAll(".card"), function (c) { c.classList.toggle("viewed", c.dataset.productId === productId) })
    status("Recording the view…")
    var seq = ++viewSeq
    document.body.dataset.refreshing = "true"
    return client.flush().then(function () {
      var deadline = Date.now() + 15000
      function poll() {
        return client.getRecommendations({ placement: "recently_viewed", limit: 1 }).then(function (res) {
          var stored = res.products[0] && res.products[0].id === productId
          if (stored || Date.now() > deadline) return stored
          return sleep(700).then(poll)
        })
      }
      return poll()
    }).then(function (stored) {
      // A newer click is refreshing already; let it.
      if (seq !== viewSeq) return null
      status(stored ? "" : "The view is taking long to be stored; showing what is known.", !stored)
      refreshedViewSeq = seq
      return refreshCarousels()
    }).catch(function (e) {
      status(e.message, true)
      if (seq !== viewSeq) return null
      // Settle the carousels on what the server has.
      refreshedViewSeq = seq
      return refreshCarousels()
    })
  }

  function showWho(customer) {
    // The visitor id is not shown: it is a secret, like a session cookie.
    $("#who").textContent = customer
      ? "Logged in as " + customer.first_name + " " + customer.last_name + " (" + customer.email + ")"
      : "Anonymous visitor"
    $("#login").hidden = !!customer
    $("#logout").hidden = !customer
  }

  function setupLogin() {
    var select = $("#login-email")
    ;(cfg.shoppers || []).forEach(function (email) {
      var o = document.createElement("option")
      o.value = o.textContent = email
      select.append(o)
    })
    if (!(cfg.shoppers || []).length) $("#login").hidden = true
    $("#login-password").value = cfg.shopperPassword || ""
    $("#login").addEventListener("submit", function (ev) {
      ev.preventDefault()
      status("Logging in…")
      storeFetch("/store/auth/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: select.value, password: $("#login-password").value }),
      })
        .then(function (body) {
          safeSet(TOKEN_KEY, body.access_token)
          // This visitor's anonymous views become the customer's.
          return client.identify()
        })
        .then(function (res) {
          status("Logged in; " + res.moved + " anonymous event(s) moved to the customer.")
          return storeFetch("/store/customers/me")
        })
        .then(function (body) {
          showWho(body.customer)
          return refreshCarousels()
        })
        .catch(function (e) {
          safeSet(TOKEN_KEY, null)
          status("Login failed: " + e.message, true)
        })
    })
    $("#logout").addEventListener("click", function () {
      safeSet(TOKEN_KEY, null)
      showWho(null)
      status("")
      refreshCarousels()
    })
    if (safeGet(TOKEN_KEY)) {
      return storeFetch("/store/customers/me")
        .then(function (body) { showWho(body.customer) })
        .catch(function () {
          safeSet(TOKEN_KEY, null)
          showWho(null)
        })
    }
    showWho(null)
    return Promise.resolve()
  }

  if (!cfg.regionId) status("The shop has no region yet: prices are not shown.", true)
  Promise.all([loadCatalogue(), setupLogin()])
    .then(refreshCarousels)
    .then(function () { document.body.dataset.ready = "true" })
    .catch(function (e) { status("Could not load the shop: " + e.message, true) })

  window.interestDemo = { client: client, refresh: refreshCarousels, view: view }
})()
